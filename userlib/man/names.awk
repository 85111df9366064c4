# SPDX-License-Identifier: GPL-2.0
# The names a man page documents: its NAME section up to "\-", split at
# commas, one a line.  `make install` links each name to the page (.so).
/^\.SH NAME/ { in_name = 1; next }
in_name {
	line = line " " $0
	if ($0 ~ /\\-/) {
		sub(/\\-.*/, "", line)
		gsub(/[ \t]/, "", line)
		n = split(line, names, ",")
		for (i = 1; i <= n; i++)
			if (names[i] != "")
				print names[i]
		exit
	}
}
