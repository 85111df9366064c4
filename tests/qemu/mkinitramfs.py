#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mkinitramfs.py ROOT OUT: pack the directory ROOT into OUT, a gzip'd
initramfs (cpio "newc"), every entry owned by root, plus the device nodes an
init needs before devtmpfs is mounted (/dev/console, /dev/null).

Written in Python so that building an initramfs needs no root (mknod) and no
kernel tree (usr/gen_init_cpio)."""
import gzip
import os
import stat
import sys

NODES = [("dev/console", stat.S_IFCHR | 0o600, 5, 1),
         ("dev/null", stat.S_IFCHR | 0o666, 1, 3)]


class Cpio:
    def __init__(self, out):
        self.out = out
        self.ino = 1

    def entry(self, name, mode, data=b"", rmajor=0, rminor=0):
        name_b = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rmajor,
                  rminor, len(name_b), 0]
        self.ino += 1
        hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
        self.out.write(hdr + name_b)
        self.pad(len(hdr) + len(name_b))
        self.out.write(data)
        self.pad(len(data))

    def pad(self, n):
        self.out.write(b"\0" * (-n % 4))


def main(root, out_path):
    with gzip.open(out_path, "wb", compresslevel=6) as out:
        cpio = Cpio(out)
        for top, dirs, files in os.walk(root):
            dirs.sort()
            rel_top = os.path.relpath(top, root)
            for name in sorted(dirs) + sorted(files):
                path = os.path.join(top, name)
                rel = os.path.normpath(os.path.join(rel_top, name))
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    cpio.entry(rel, stat.S_IFLNK | 0o777,
                               os.readlink(path).encode())
                elif stat.S_ISDIR(st.st_mode):
                    cpio.entry(rel, stat.S_IFDIR | (st.st_mode & 0o7777))
                elif stat.S_ISREG(st.st_mode):
                    with open(path, "rb") as f:
                        cpio.entry(rel, stat.S_IFREG | (st.st_mode & 0o7777),
                                   f.read())
        for name, mode, major, minor in NODES:
            cpio.entry(name, mode, rmajor=major, rminor=minor)
        cpio.entry("TRAILER!!!", 0)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
