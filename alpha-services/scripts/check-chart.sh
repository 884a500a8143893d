#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# `make check-chart`: renders the Helm chart offline and validates it (no helm binary, no cluster).
#
# Installs into a venv (.data/venv-chart, made once; pip's cache is reused) the two PyPI packages
# it needs — helm-python-sdk (Helm's own Go template engine through a C library, imported as
# helm_python) and kubernetes-validate (the Kubernetes API schemas) — then runs check_chart.py:
# the chart rendered with the default values and with a "scale" value set, every object validated
# strictly against Kubernetes 1.30, and the chart's promises asserted (docs/deployment.md).
# First, check_processes.py: the values, the executables, the Dockerfile and the docs against processes.tsv.
#
#   ALPHA_CHART_VENV          the venv (default .data/venv-chart)
#   ALPHA_CHART_KUBE_VERSION  Kubernetes version to validate against (default 1.30)
#   PYTHON                    interpreter that makes the venv (default python3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HELM_PYTHON_SDK_VERSION="0.2.2"
KUBERNETES_VALIDATE_VERSION="1.37.0"
PYYAML_VERSION="6.0.4"
VENV="${ALPHA_CHART_VENV:-$DATA_DIR/venv-chart}"
PYTHON="${PYTHON:-python3}"

require_cmd "$PYTHON" python3
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv python3-pip

if [[ ! -x "$VENV/bin/python" ]]; then
    info "creating venv $VENV"
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
fi
wanted="helm-python-sdk==$HELM_PYTHON_SDK_VERSION kubernetes-validate==$KUBERNETES_VALIDATE_VERSION pyyaml==$PYYAML_VERSION"
if ! "$VENV/bin/python" - $wanted <<'PY' 2>/dev/null; then
import importlib.metadata, sys
for requirement in sys.argv[1:]:
    name, version = requirement.split("==")
    if importlib.metadata.version(name) != version:
        sys.exit(1)
PY
    info "installing $wanted (pip)"
    # shellcheck disable=SC2086 # one word per requirement
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $wanted
fi

# The process table (alpha-services/processes.tsv) against the values, the executables and the docs.
"$VENV/bin/python" "$SCRIPTS_DIR/check_processes.py"
exec "$VENV/bin/python" "$SCRIPTS_DIR/check_chart.py"
