#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 runs only on 3.10).
set -u
for candidate in "${PYTHON310:-}" python3.10; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    command -v "$candidate"; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -V -r); do
    p="$(pyenv root)/versions/$v/bin/python"
    [ -x "$p" ] && { echo "$p"; exit 0; }
  done
fi
for p in $(ls -d "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10 2>/dev/null | sort -V -r); do
  [ -x "$p" ] && { echo "$p"; exit 0; }
done
echo "Python 3.10 is needed for Rasa 3.6 but was not found." >&2
echo "Install it (e.g. 'pyenv install 3.10' or 'apt-get install python3.10') or set PYTHON310=/path/to/python3.10." >&2
exit 1
