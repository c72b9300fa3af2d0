# tests/boot/busybox/script.sh — run by busybox's sh on vmlab and on Linux
# (tests/boot/busybox.sh): the output must be the same. Only what runs without
# starting a process for now (built-in commands); what needs more waits in
# tests/boot/busybox/reading.sh (the `read` built-in polls, poll(2)) and in
# tests/boot/busybox/pending (fork, traps, /proc).
echo "== variables and expansions"
name=vmlab
empty=
echo "hello, $name; ${name}lab; ${missing:-default}; ${empty:+set}; ${#name}"
path=/usr/local/bin/tool.tar.gz
echo "${path##*/} ${path%/*} ${path%%.*} ${path#*.}"
set -- one "two words" three
echo "$# args: $1 | $2 | $3"
for a in "$@"; do echo "[$a]"; done
shift
echo "after shift: $*"

echo "== arithmetic and tests"
i=0 sum=0
while [ $i -lt 10 ]; do
    sum=$((sum + i * i))
    i=$((i + 1))
done
echo "sum of squares below 10: $sum, hex ff is $((0xff)), 17 % 5 = $((17 % 5))"
if [ "$sum" -gt 100 ] && [ -n "$name" ] && ! [ -z "$name" ]; then echo "tests: and, not"; fi
[ abc = abd ] || echo "tests: or"
test 3 -ge 3 && echo "test 3 -ge 3"

echo "== case and loops"
for word in apple banana cherry 42 -x; do
    case $word in
        a*) echo "$word starts with a" ;;
        *an*) echo "$word has an" ;;
        [0-9]*) echo "$word is a number" ;;
        -*) echo "$word is an option" ;;
        *) echo "$word: other" ;;
    esac
done
n=0
until [ $n -ge 3 ]; do n=$((n + 1)); [ $n -eq 2 ] && continue; echo "until: $n"; done
for x in 1 2 3 4 5; do [ $x -eq 4 ] && break; echo "for: $x"; done

echo "== functions"
greet() {
    local who=$1
    echo "greet $who ($# args)"
    return 3
}
greet world extra
echo "greet returned $?"
fact() {
    if [ $1 -le 1 ]; then r=1; else fact $(($1 - 1)); r=$((r * $1)); fi
}
fact 10
echo "10! = $r"

echo "== redirection"
echo "written by echo" >/tmp/bb-script.txt
echo "appended" >>/tmp/bb-script.txt
exec 3>/tmp/bb-fd3.txt
echo "through fd 3" >&3
exec 3>&-
echo "to stderr" 1>&2
{ echo "group one"; echo "group two"; } >/tmp/bb-group.txt
echo "to nowhere" >/dev/null

echo "== printf, eval"
printf '%5s|%-5s|%03d|%x|%c\n' right left 7 255 zulu
cmd='echo "eval ran: $name"'
eval "$cmd"
echo "== exit statuses"
false
echo "false gives $?"
echo "done"
