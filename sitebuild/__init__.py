"""The rooms of the site build that build.py (the renderer, the CSP and the command line) stands on:

    sitebuild.bundle       what the page carries or fetches besides its templates: the calculator package as a zip,
                           Pyodide's files with their integrity hashes, and uPlot (both pinned in package.json)
    sitebuild.live_values  the rule for what a live value shows (its JavaScript twin is in templates/assets/app.js)
    sitebuild.devserver    the static server behind `python build.py --serve`, the tests and the benchmark

None of them imports build.py, so each can be used (and tested) on its own.
"""


class BuildError(Exception):
    """The build cannot write a correct page (the message says why); `python build.py` prints it and exits 1."""
