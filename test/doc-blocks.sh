# Sourced by bash before each shell block of the documents (test/docs-commands.test.ts). `curl` is wrapped:
# it runs as written (plus -sS, and -D to read the status) and logs each answer's status; a check line
# (an expected-answer comment, rewritten) compares the last answer with the comment, and every other
# answer must be below 400. Block line N is script line N + 1 (the first line sources this file).
__log="$__DIR/curls"; touch "$__log"; [ -f "$__DIR/checked" ] || echo 0 > "$__DIR/checked"
curl() {
  local hdr body rc=0 status
  hdr=$(mktemp "$__DIR/h.XXXXXX"); body=$(mktemp "$__DIR/b.XXXXXX")
  command curl -sS -D "$hdr" "$@" | tee "$body" || rc=$?
  status=$(awk '/^HTTP\//{s=$2} END{print s}' "$hdr")
  printf '%s %s %s\n' "$(( BASH_LINENO[0] - 1 ))" "${status:-000}" "$body" >> "$__log"
  return $rc
}
__fail() { printf '\n[docs-commands] %s\n' "$*" >&2; exit 1; }
__body() { head -c 600 "$1" | tr '\n' ' '; }
# The answers not checked yet, except the last $1 of them, must be below 400.
__unchecked_ok() {
  local from; from=$(cat "$__DIR/checked")
  tail -n +"$(( from + 1 ))" "$__log" | head -n "-${1:-0}" | while read -r l s b; do
    [ "$s" -ge 100 ] && [ "$s" -lt 400 ] || __fail "block line $l: curl answered $s (put a line '# → $s' after it if that is meant): $(__body "$b")"
  done
}
# __check <status or ''> <keys>: the last curl's answer has that status (else: below 400) and those JSON keys.
__check() {
  local line=$(( BASH_LINENO[0] - 1 )) total l s b k
  total=$(wc -l < "$__log")
  [ "$total" -gt "$(cat "$__DIR/checked")" ] || __fail "block line $line: an expected answer, but no curl ran since the previous one"
  __unchecked_ok 1
  read -r l s b < <(tail -n 1 "$__log")
  if [ -n "$1" ]; then
    [ "$s" = "$1" ] || __fail "block line $line: expected status $1, curl on block line $l answered $s: $(__body "$b")"
  else
    [ "$s" -ge 100 ] && [ "$s" -lt 400 ] || __fail "block line $line: curl on block line $l answered $s: $(__body "$b")"
  fi
  for k in $2; do
    grep -qF "\"$k\":" "$b" || grep -qF "\"$k\": " "$b" || __fail "block line $line: the answer of block line $l has no key \"$k\": $(__body "$b")"
  done
  echo "$total" > "$__DIR/checked"
}
# Run after the block: what it leaves (variables, functions, directory) for the file's next block.
__save_state() {
  local v f
  __unchecked_ok 0
  {
    for v in $(compgen -v); do
      case "$__vars" in *" $v "*) continue ;; esac
      case "$v" in __* | BASH* | _ | PIPESTATUS | FUNCNAME | GROUPS | REPLY | OPTIND | OPTARG | COLUMNS | LINES) continue ;; esac
      declare -p "$v" 2>/dev/null || true
    done
    for f in $(compgen -A function); do
      case "$__funcs" in *" $f "*) ;; *) declare -f "$f" ;; esac
    done
    printf 'cd %q\n' "$PWD"
  } > "$__DIR/state.next"
  mv "$__DIR/state.next" "$__DIR/state.sh"
}
export -f curl __fail __body __unchecked_ok __check
