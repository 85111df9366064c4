# SPDX-License-Identifier: GPL-2.0
# bash completion for vmarenactl(8)

# The names of the aspaces the caller may see, from vmarenactl itself.
_vmarenactl_aspaces()
{
	vmarenactl aspace list 2>/dev/null |
		sed -n 's/^aspace [0-9]* "\([^"]*\)".*/\1/p'
}

# The names of the areas of aspace $1.
_vmarenactl_areas()
{
	vmarenactl area list "$1" 2>/dev/null |
		sed -n 's/^area [0-9]* "\([^"]*\)".*/\1/p'
}

_vmarenactl()
{
	local cur prev words cword
	_init_completion || return

	local objects="aspace area cache page translate stats monitor version help"
	local options="-j --json -p --pretty -s --stats -d --details -h --help"
	local i obj="" cmd="" nargs=0 args=()

	# Find the object, the command and the arguments typed so far.
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) [[ -z $obj ]] && continue ;;
		esac
		if [[ -z $obj ]]; then
			obj=${words[i]}
		elif [[ -z $cmd && $obj != translate && $obj != stats && $obj != monitor ]]; then
			cmd=${words[i]}
		else
			args+=("${words[i]}")
		fi
	done
	nargs=${#args[@]}

	if [[ -z $obj ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$options" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$objects" -- "$cur"))
		fi
		return
	fi

	case $obj in
	as*)
		if [[ -z $cmd ]]; then
			COMPREPLY=($(compgen -W "list show create delete copy help" -- "$cur"))
		elif ((nargs == 0)) && [[ $cmd == s* || $cmd == d* || $cmd == co* ]]; then
			COMPREPLY=($(compgen -W "$(_vmarenactl_aspaces)" -- "$cur"))
		elif [[ $cmd == co* ]] && ((nargs >= 2)); then
			COMPREPLY=($(compgen -W "mode" -- "$cur"))
		elif [[ $cmd == c* && $cmd != co* ]] && ((nargs >= 1)); then
			COMPREPLY=($(compgen -W "size base mode help" -- "$cur"))
		fi
		;;
	ar*)
		if [[ -z $cmd ]]; then
			COMPREPLY=($(compgen -W "list show create clone copy delete resize protect lock sync help" -- "$cur"))
		elif ((nargs == 0)); then
			COMPREPLY=($(compgen -W "$(_vmarenactl_aspaces)" -- "$cur"))
		elif ((nargs == 1)) && [[ $cmd != cr* && $cmd != l* ]]; then
			COMPREPLY=($(compgen -W "$(_vmarenactl_areas "${args[0]}")" -- "$cur"))
		elif [[ $cmd == cr* ]] && ((nargs >= 2)); then
			case $prev in
			size | prot | maxprot | at | base) ;;
			*) COMPREPLY=($(compgen -W "size prot maxprot at base wired contiguous cloneable overcommit lazy below16m below4g reserve" -- "$cur")) ;;
			esac
		elif [[ $cmd == co* ]] && ((nargs >= 2)); then
			case $prev in
			from) COMPREPLY=($(compgen -W "$(_vmarenactl_aspaces)" -- "$cur")) ;;
			name | at | base) ;;
			*) COMPREPLY=($(compgen -W "from name at base" -- "$cur")) ;;
			esac
		elif [[ $cmd == cl* ]] && ((nargs >= 2)); then
			case $prev in
			from) COMPREPLY=($(compgen -W "$(_vmarenactl_aspaces)" -- "$cur")) ;;
			name | prot | at | base) ;;
			*) COMPREPLY=($(compgen -W "from name private shared prot at base" -- "$cur")) ;;
			esac
		elif [[ $cmd == p* ]] && ((nargs == 2)); then
			COMPREPLY=($(compgen -W "r rw rx rwx none" -- "$cur"))
		fi
		;;
	c*)
		if [[ -z $cmd ]]; then
			COMPREPLY=($(compgen -W "show help" -- "$cur"))
		elif ((nargs == 0)); then
			COMPREPLY=($(compgen -W "$(_vmarenactl_aspaces)" -- "$cur"))
		elif ((nargs == 1)); then
			COMPREPLY=($(compgen -W "$(_vmarenactl_areas "${args[0]}")" -- "$cur"))
		fi
		;;
	p*)
		if [[ -z $cmd ]]; then
			COMPREPLY=($(compgen -W "map translate help" -- "$cur"))
		elif ((nargs == 0)); then
			COMPREPLY=($(compgen -W "$(_vmarenactl_aspaces)" -- "$cur"))
		elif ((nargs == 1)) && [[ $cmd == m* ]]; then
			COMPREPLY=($(compgen -W "$(_vmarenactl_areas "${args[0]}")" -- "$cur"))
		fi
		;;
	t*)
		((nargs == 0)) && COMPREPLY=($(compgen -W "$(_vmarenactl_aspaces) help" -- "$cur"))
		;;
	st*)
		[[ $prev != interval ]] && COMPREPLY=($(compgen -W "show interval help" -- "$cur"))
		;;
	m*)
		[[ $prev != count ]] && COMPREPLY=($(compgen -W "count help" -- "$cur"))
		;;
	esac
} &&
	complete -F _vmarenactl vmarenactl
