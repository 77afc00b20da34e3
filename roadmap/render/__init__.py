"""Renderers: terminal views, flowcharts, documents and tables."""
