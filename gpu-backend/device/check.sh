#!/usr/bin/env bash
# One-shot device check for an NVIDIA H200 (or any sm_80+) machine; finishes in under 8 minutes.
#   usage: check.sh OUT_DIR [--dry-run]
# Carry along: this folder with dist/ and runtime/ built by package.sh (no Java or network needed
# there). Steps, each with its own time limit; every result lands in OUT_DIR:
#   env.txt               GPU, driver, nvcc, Python/PyTorch versions
#   ptxas.txt             the shipped compute_80 PTX assembled for sm_90 by the local ptxas (if present)
#   kernel_check.json     kernels alone from C++ (kernel_check.cpp): ragged-shape correctness, grouped GEMM TFLOP/s
#   correctness.json      CUDA vs the Java CPU reference (max rel err <= 2e-2, same routing)
#   gemm.json layer.json  benchmark measurements (calibration format)
#   ours.json torch.json  our layer time and PyTorch's (per-expert loop, torch._grouped_mm) on the same
#                         weights/input, their max difference to our output, the measured bf16 peak
#   h200.json             calibration profile of this GPU (`mohge calibrate --backend cuda`): commit it as
#                         cli/src/main/resources/calibration/h200-sxm.json (then the default for H200 scenarios)
#   validate.json         `mohge validate` of validate-h200.json against that profile: per-partition
#                         predicted vs measured time, medianAbsErrorPct, maxAbsErrorPct, imbalances
#   summary.txt           one line per step, PASS/FAIL/SKIP; exit status 0 only if all passed
# --dry-run: for machines without a GPU; Java runs on its CPU backend at small sizes and the Python
# step checks the same file with a float64 numpy implementation (no torch needed).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: check.sh OUT_DIR [--dry-run]}"
mode="${2:-}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
: > "$out/summary.txt"
exec > >(tee -a "$out/check.log") 2>&1
start=$(date +%s)
failed=0
step() { # name status
  echo "$1: $2" | tee -a "$out/summary.txt"
  [ "$2" = PASS ] || [ "$2" = SKIP ] || failed=1
}

if [ -x "$here/runtime/bin/java" ]; then JAVA="$here/runtime/bin/java"; else JAVA="$(command -v java || true)"; fi
PY="$(command -v python3 || command -v python || true)"
if [ -z "$JAVA" ]; then step java "FAIL (no runtime/ and no java on PATH: run package.sh first)"; fi
if ! ls "$here"/dist/*.jar > /dev/null 2>&1; then step jars "FAIL (no dist/*.jar: run package.sh first)"; fi
if [ "$failed" = 1 ]; then exit 1; fi
CP="$(ls "$here"/dist/*.jar | tr '\n' ':')"

{
  echo "date: $(date -u +%FT%TZ)"; uname -a
  command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  command -v nvcc > /dev/null && nvcc --version | tail -2
  "$JAVA" -version 2>&1 | head -1
  [ -n "$PY" ] && "$PY" -c "import sys; print('python', sys.version.split()[0])"
  [ -n "$PY" ] && "$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.is_available())" 2>&1 | tail -1
} > "$out/env.txt" 2>&1
cat "$out/env.txt"

# The PTX the driver will JIT, assembled by the local toolchain: catches an ISA the driver cannot take.
if command -v ptxas > /dev/null && [ -n "$PY" ] && [ "$mode" != "--dry-run" ]; then
  "$PY" - "$here"/dist/mohge-gpu-backend-*.jar "$out/mohge_kernels.ptx" <<'PYEOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    open(sys.argv[2], "wb").write(z.read("org/mohge/gpu/cuda/mohge_kernels.ptx"))
PYEOF
  if timeout 120 ptxas -arch=sm_90 -v -o /dev/null "$out/mohge_kernels.ptx" > "$out/ptxas.txt" 2>&1; then
    step ptxas PASS
  else
    step ptxas FAIL
  fi
else
  step ptxas SKIP
fi

# The kernels alone, through the driver API from C++ (independent of Java/JCuda): correctness on ragged
# shapes and grouped-GEMM TFLOP/s at large shapes.
if command -v nvcc > /dev/null && [ -f "$out/mohge_kernels.ptx" ]; then
  libdir="$(ldconfig -p 2>/dev/null | grep -m1 'libcuda.so.1 ' | awk '{print $NF}' | xargs -r dirname)"
  if nvcc -O2 -std=c++17 -o "$out/kernel_check" "$here/kernel_check.cpp" -lcuda > "$out/kernel_check.build.txt" 2>&1 \
     || nvcc -O2 -std=c++17 -o "$out/kernel_check" "$here/kernel_check.cpp" -L"${libdir:-/usr/lib/x86_64-linux-gnu}" -l:libcuda.so.1 \
          >> "$out/kernel_check.build.txt" 2>&1; then
    if timeout 150 "$out/kernel_check" "$out/mohge_kernels.ptx" > "$out/kernel_check.json"; then
      step kernel-check PASS
    else
      step kernel-check "FAIL (exit $?)"
    fi
    cat "$out/kernel_check.json"
  else
    step kernel-check "FAIL (does not build, see kernel_check.build.txt)"
  fi
else
  step kernel-check SKIP
fi

timeout 330 "$JAVA" -Xmx32g -cp "$CP" org.mohge.gpu.bench.DeviceCheck "$out" $mode
rc=$?
case $rc in
  0) step java-device-check PASS ;;
  3) step java-device-check "FAIL ($(cat "$out/status.txt" 2>/dev/null))" ;;
  124) step java-device-check "FAIL (timed out)" ;;
  *) step java-device-check "FAIL (exit $rc)" ;;
esac

# Calibrate the cost model on this device and validate the simulator's per-GPU predictions against it.
if [ "$mode" = "--dry-run" ]; then backend=(--backend cpu); quick=(--quick); tokens=(--tokens 1024); else
  backend=(--backend cuda); quick=(); tokens=(); fi
if timeout 150 "$JAVA" -Xmx32g -cp "$CP" org.mohge.cli.Main calibrate "${backend[@]}" "${quick[@]}" \
     --out "$out/h200.json" > "$out/calibrate.txt" 2>&1; then
  step calibrate PASS
else
  step calibrate "FAIL (exit $?, see calibrate.txt)"
fi
cat "$out/calibrate.txt"
if [ -f "$out/h200.json" ] && timeout 120 "$JAVA" -Xmx32g -cp "$CP" org.mohge.cli.Main validate \
     "$here/validate-h200.json" "${backend[@]}" "${tokens[@]}" --calibration "$out/h200.json" --json \
     > "$out/validate.json" 2> "$out/validate.txt"; then
  step validate PASS
  grep -E '"(medianAbsErrorPct|maxAbsErrorPct|predictedImbalance|measuredImbalance)"' "$out/validate.json"
else
  step validate "FAIL (see validate.txt)"
fi

if [ -z "$PY" ]; then
  step python-compare "SKIP (no python)"
elif [ ! -f "$out/compare_input.safetensors" ]; then
  step python-compare "SKIP (no compare_input.safetensors)"
else
  left=$(( 460 - ($(date +%s) - start) ))
  [ $left -lt 30 ] && left=30
  if timeout "$left" "$PY" "$here/torch_compare.py" "$out/compare_input.safetensors" "$out" $mode; then
    step python-compare PASS
  else
    step python-compare "FAIL (exit $?)"
  fi
fi
echo "total: $(( $(date +%s) - start )) s" | tee -a "$out/summary.txt"
exit $failed
