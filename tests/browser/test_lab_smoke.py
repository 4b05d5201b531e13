"""The browser harness works end to end: JupyterLab runs cells, an anywidget draws with
WebGL2 into a canvas, a click in the page changes a synced trait, and the kernel sees it.
This is the path (WebGL + anywidget + comm) the real widget tests rely on."""

import pytest

from .notebook import (
    cell_output,
    cell_output_text,
    kernel_stdout,
    open_notebook,
    rerun_until,
    run_all,
    wait_for_output,
    write_notebook,
)
from .pixels import colour_share, png_pixels, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ORANGE, GREEN = (255, 102, 0), (0, 204, 51)

# Clears the canvas to orange, draws a green triangle with a GLSL ES 3.00 shader (so the
# WebGL2 pipeline, not just clear(), works), reports through a synced trait and counts
# clicks in another.
ESM = """
function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.width = 160; canvas.height = 100;
  canvas.className = "smoke-canvas";
  canvas.style.display = "block";
  el.appendChild(canvas);
  const gl = canvas.getContext("webgl2", { preserveDrawingBuffer: true, antialias: false });
  if (!gl) { model.set("status", "no webgl2"); model.save_changes(); return; }
  const shader = (type, source) => {
    const s = gl.createShader(type); gl.shaderSource(s, source); gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
    return s;
  };
  const program = gl.createProgram();
  gl.attachShader(program, shader(gl.VERTEX_SHADER, `#version 300 es
    in vec2 p; void main() { gl_Position = vec4(p, 0.0, 1.0); }`));
  gl.attachShader(program, shader(gl.FRAGMENT_SHADER, `#version 300 es
    precision mediump float; out vec4 color;
    void main() { color = vec4(0.0, 0.8, 0.2, 1.0); }`));
  gl.linkProgram(program);
  const vao = gl.createVertexArray(); gl.bindVertexArray(vao);  // WebGL2-only call
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-0.5, -0.5, 0.5, -0.5, 0.0, 0.5]),
                gl.STATIC_DRAW);
  const loc = gl.getAttribLocation(program, "p");
  gl.enableVertexAttribArray(loc);
  gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
  gl.clearColor(1.0, 0.4, 0.0, 1.0);
  gl.clear(gl.COLOR_BUFFER_BIT);
  gl.useProgram(program);
  gl.drawArrays(gl.TRIANGLES, 0, 3);
  model.set("status", "drawn: " + gl.getParameter(gl.VERSION));
  model.save_changes();
  canvas.addEventListener("click", () => {
    model.set("clicks", model.get("clicks") + 1);
    model.save_changes();
  });
}
export default { render };
"""

CELLS = [
    'import os\nprint("answer", sum(range(10)) * 2, os.environ.get("HF_HUB_OFFLINE"))',
    f"""import anywidget
import traitlets

class Smoke(anywidget.AnyWidget):
    _esm = '''{ESM}'''
    status = traitlets.Unicode("").tag(sync=True)
    clicks = traitlets.Int(0).tag(sync=True)

w = Smoke()
w""",
    'print(f"status={w.status!r} clicks={w.clicks}")',
]


def test_lab_runs_cells_and_an_anywidget_draws_with_webgl2(page, lab_server, tmp_path):
    write_notebook(lab_server.root, "smoke.ipynb", CELLS)
    open_notebook(page, "smoke.ipynb")
    run_all(page)

    # (a) a computed value, read in the page; the kernel is offline for the hub
    assert cell_output_text(page, 0) == "answer 90 1"

    # (b) the widget's canvas shows what WebGL2 drew
    canvas = cell_output(page, 1).locator("canvas.smoke-canvas")
    canvas.wait_for(state="visible")
    width, height, pixels = png_pixels(screenshot(canvas, tmp_path / "canvas.png"))
    assert abs(width - 160) <= 1 and abs(height - 100) <= 1, (width, height)
    assert colour_share(pixels, ORANGE) > 0.5, "the WebGL2 clear colour is not on screen"
    assert colour_share(pixels, GREEN) > 0.1, "the WebGL2 shader's triangle is not on screen"

    # the trait JS set reached the kernel
    status = rerun_until(page, 2, "status='drawn: WebGL 2.0")
    assert "clicks=0" in status

    # a click in the page changes a synced trait, seen by the kernel
    canvas.click()
    assert "clicks=1" in rerun_until(page, 2, "clicks=1")
    assert kernel_stdout(page, "print(w.clicks * 10)") == "10\n"
    wait_for_output(page, 2, "clicks=1")
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]
