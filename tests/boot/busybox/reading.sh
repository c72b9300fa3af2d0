# tests/boot/busybox/reading.sh — busybox sh reading files and here-documents
# with its `read` built-in, which calls poll(2) before each byte (run from
# tests/boot/busybox/pending until vmlab has poll).
name=vmlab
echo "== here-documents and redirection"
cat_builtin() { while IFS= read -r line; do echo "read: $line"; done; }
cat_builtin <<END
first line with $name
  indented, $((6 * 7))
END
cat_builtin <<'END'
quoted: $name stays
END
cat_builtin </tmp/bb-script.txt
read -r line </tmp/bb-fd3.txt
echo "fd 3 file: $line"
cat_builtin </tmp/bb-group.txt

IFS=: read -r a b c <<END
x:y:z
END
echo "a=$a b=$b c=$c"
