#!/bin/sh
# Installs Huiwu @VERSION@ from this bundle into PREFIX (default /opt/huiwu), with no network, npm or compiler:
#   PREFIX/venv/       the virtualenv, made with this machine's python3 (Python @PYTHON@, as the wheels are)
#   PREFIX/bin/huiwu   the huiwu command, reading the settings in /etc/huiwu/huiwu.env
#   PREFIX/deploy/     the systemd units, the nginx site and the settings example, for the operator to install
# Running it again installs this bundle over what is there (an upgrade); stop Huiwu first. It changes nothing
# outside PREFIX: the steps that touch /etc and systemd are printed at the end for the operator to run.
# PYTHON=/path/to/python3.11 chooses the interpreter.
set -eu

case "${1:-}" in
-h | --help)
	sed -n '2,8p' "$0"
	exit 0
	;;
esac
PREFIX=${1:-/opt/huiwu}
PYTHON=${PYTHON:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)

fail() {
	echo "install.sh: $*" >&2
	exit 1
}

command -v "$PYTHON" >/dev/null || fail "$PYTHON not found: Huiwu needs Python @PYTHON@ (set PYTHON=...)"
found=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# The wheels of the compiled dependencies are built for one Python version and one platform.
[ "$found" = "@PYTHON@" ] || fail "$PYTHON is Python $found; this bundle's wheels are for Python @PYTHON@ (set PYTHON=...)"
[ "$(uname -m)" = x86_64 ] || fail "this bundle's wheels are for x86_64 Linux, not $(uname -m)"

# pip takes the wheels of this bundle and nothing else: none of this machine's pip configuration or PIP_
# variables (an index or a find-links there would be used silently), and no index.
for variable in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$variable"
done
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

mkdir -p "$PREFIX/bin"
PREFIX=$(cd "$PREFIX" && pwd)
VENV=$PREFIX/venv
# A virtualenv of another Python (the machine's was upgraded) or a broken one cannot take these wheels: a new one.
if [ -d "$VENV" ] &&
	[ "$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "@PYTHON@" ]; then
	rm -rf "$VENV"
fi
if [ ! -d "$VENV" ]; then
	# --without-pip: Debian's python3 has no ensurepip unless python3-venv is installed; pip comes from the bundle.
	"$PYTHON" -m venv --without-pip "$VENV"
fi
if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
	# pip installs itself from its wheel, run as it is: its hash is checked here, before it runs.
	pip_wheel=$(ls "$HERE"/wheels/pip-*.whl)
	pip_hash=$(sed -n 's/^pip==.* --hash=sha256:\([0-9a-f]*\)$/\1/p' "$HERE/requirements.txt")
	echo "$pip_hash  $pip_wheel" | sha256sum --check --status ||
		fail "$pip_wheel does not match its hash in requirements.txt"
	"$VENV/bin/python" "$pip_wheel/pip" install --quiet --no-index --no-deps "$pip_wheel"
fi
# A bundle of the same version may hold a newer build of Huiwu: pip would keep the installed one.
"$VENV/bin/python" -m pip uninstall --quiet --yes huiwu 2>/dev/null || true
"$VENV/bin/python" -m pip install --quiet --no-index --require-hashes --only-binary :all: \
	--find-links "$HERE/wheels" -r "$HERE/requirements.txt"

cat >"$PREFIX/bin/huiwu" <<EOF
#!/bin/sh
# Huiwu's command with the settings the systemd units give it: those of /etc/huiwu/huiwu.env (HUIWU_ENV_FILE
# names another file; variables already set win over the file), and the secrets of /etc/huiwu/credentials/
# (HUIWU_CREDENTIALS_DIR names another directory) that this user can read, as NAME_FILE (credentials/database_url:
# DATABASE_URL_FILE). Without them, huiwu migrate run by hand would fall back to the built-in defaults, such as a
# SQLite database inside the virtualenv.
export HUIWU_ENV_FILE="\${HUIWU_ENV_FILE:-/etc/huiwu/huiwu.env}"
for credential in "\${HUIWU_CREDENTIALS_DIR:-/etc/huiwu/credentials}"/*; do
	[ -r "\$credential" ] || continue
	variable=\$(basename "\$credential" | tr a-z A-Z)_FILE
	printenv "\$variable" >/dev/null || export "\$variable=\$credential"
done
exec "$VENV/bin/huiwu" "\$@"
EOF
chmod 755 "$PREFIX/bin/huiwu"

rm -rf "$PREFIX/deploy"
cp -R "$HERE/deploy" "$PREFIX/deploy"
cp "$HERE/README.txt" "$PREFIX/README.txt"

cat <<EOF
Huiwu @VERSION@ is installed in $PREFIX.

Next steps, as root (once; the files named are in $PREFIX/deploy/):
  1. The user, the settings and the secrets:
       useradd --system --home-dir /var/lib/huiwu --create-home --shell /usr/sbin/nologin huiwu
       install -d -m 755 /etc/huiwu && install -d -m 700 /etc/huiwu/credentials
       install -m 640 -g huiwu $PREFIX/deploy/huiwu.env.example /etc/huiwu/huiwu.env    # then edit it
       one file each, mode 600, in /etc/huiwu/credentials/: secret_key (50 random characters),
       database_url (postgres://huiwu:PASSWORD@127.0.0.1:5432/huiwu), redis_url (with Redis)
  2. The database and the static files (again after every upgrade):
       $PREFIX/bin/huiwu migrate --noinput
       $PREFIX/bin/huiwu collectstatic --noinput && chown -R huiwu:huiwu /var/lib/huiwu
  3. The services:
       cp $PREFIX/deploy/systemd/* /etc/systemd/system/ && systemctl daemon-reload
       systemctl enable --now huiwu-web@8001 huiwu-web@8002 huiwu-worker@1 huiwu.target   # huiwu-rq@1 with Redis
  4. nginx: $PREFIX/deploy/nginx/huiwu.conf as /etc/nginx/sites-available/huiwu, linked into sites-enabled,
     with the site's name and certificate; then nginx -t && systemctl reload nginx.
Upgrade: systemctl stop huiwu.target, run the new bundle's install.sh, step 2, systemctl start huiwu.target.
EOF
if [ "$PREFIX" != /opt/huiwu ]; then
	echo "The units name /opt/huiwu: set their ExecStart= and WorkingDirectory= to $PREFIX."
fi
