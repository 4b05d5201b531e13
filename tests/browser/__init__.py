"""Real-browser tests: JupyterLab driven through playwright in Debian's Chromium."""
