"""Charts for the reports. Every chart returns a :class:`~evaluation.plots.base.ReportFigure`."""
