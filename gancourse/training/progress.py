"""The history and progress display of hand-written training loops.

手写训练循环的损失记录与进度显示（``keras.utils.Progbar``）。

``fit`` keeps a ``History`` and draws a progress bar by itself. The loops
that do not use ``fit`` (the explicit GAN loop of lesson 01, style transfer,
the feed-forward stylizer) use ``LossHistory`` instead, so all of them
record and print the same way.
"""

import keras


class LossHistory:
    """Record a loop's losses and show them with ``keras.utils.Progbar``.

    记录训练循环的各项损失，并用 ``keras.utils.Progbar`` 显示进度。

    Args:
        total: number of updates the loop will make (the bar's target).
        log_every: show the bar every ``log_every`` updates (and at the
            first and the last one); 0 shows nothing.
        unit_name: what one update is called ("step", "iteration").
        verbose: 1 draws one bar that updates in place; 2 prints one line
            per shown update (like ``fit(verbose=2)``).

    Attributes:
        history: dict name -> list of floats, one entry per ``append``.

    Example:
        >>> log = LossHistory(total=2)
        >>> log.append(1, {"loss": 3.0})
        {'loss': 3.0}
        >>> log.append(2, {"loss": 1.0})["loss"]
        1.0
        >>> log.history
        {'loss': [3.0, 1.0]}
    """

    def __init__(self, total, log_every=0, unit_name="step", verbose=1):
        self.total = total
        self.log_every = int(log_every)
        self.unit_name = unit_name
        if verbose not in (1, 2):
            raise ValueError(f"`verbose` must be 1 or 2. Received: {verbose!r}")
        self.verbose = verbose
        self.history = {}
        self.progbar = None

    def append(self, index, logs):
        """Record the losses ``logs`` (name -> number) of update ``index``.

        记录第 ``index`` 次更新的损失；返回转换成 float 的字典。
        """
        values = {name: float(value) for name, value in logs.items()}
        for name, value in values.items():
            self.history.setdefault(name, []).append(value)
        last = index == self.total
        if self.log_every and (
            index % self.log_every == 0 or index == 1 or last
        ):
            if self.progbar is None:
                self.progbar = keras.utils.Progbar(
                    self.total,
                    verbose=self.verbose,
                    unit_name=self.unit_name,
                    stateful_metrics=list(values),
                )
            finalize = last or self.verbose == 2
            self.progbar.update(index, list(values.items()), finalize=finalize)
        return values
