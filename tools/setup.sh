#!/usr/bin/env bash
# Installs, with apt-get, whatever chiptrail's build needs and this Debian 12 machine lacks.
# Sourced by quickstart.sh and test.sh; safe to run again (installs nothing when all is there).
set -euo pipefail

CHIPTRAIL_PACKAGES=(
  g++ cmake ninja-build git pkg-config python3
  libboost-graph-dev libeigen3-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev libfmt-dev doctest-dev libcli11-dev librandom123-dev libcpp-httplib-dev
)

# What the reports and their tests need besides: Debian's Python with matplotlib and pandas
# (`chiptrail report`, tools/plot.py), Graphviz (`graph --render`) and Chromium (the report's
# headless rendering test). test.sh installs them; a build does not need them.
CHIPTRAIL_REPORT_PACKAGES=(python3-matplotlib python3-pandas graphviz chromium)
# The Python module (`cmake -DCHIPTRAIL_PYTHON=ON`, on in the ci preset that test.sh uses), and
# what executes the teaching notebook (tools/examples/teach_chiptrail.ipynb) in its tests.
CHIPTRAIL_PYTHON_PACKAGES=(pybind11-dev python3-dev python3-nbconvert python3-ipykernel)
# chiptrail-mpi (`cmake -DCHIPTRAIL_WITH_MPI=ON`, on in the ci preset that test.sh uses).
CHIPTRAIL_MPI_PACKAGES=(openmpi-bin libopenmpi-dev)
# The explorer's tests over HTTP (curl) and in the browser (Chromium, with playwright-core).
CHIPTRAIL_EXPLORER_TEST_PACKAGES=(curl chromium)

chiptrail_install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  if ((${#missing[@]} > 0)); then
    echo "chiptrail setup: installing ${missing[*]}" >&2
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

chiptrail_install_packages "${CHIPTRAIL_PACKAGES[@]}"
# The explorer's page is built from npm packages (tools/explorer/web/package.json). Any npm will
# do: Debian's when none is installed (a machine may have Node.js from elsewhere, with its npm).
if ! command -v npm >/dev/null; then chiptrail_install_packages npm; fi
