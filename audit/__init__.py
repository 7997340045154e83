"""cxaudit: a customer-expectations audit for online stores.

The package follows an audit's flow:

- checklists/  find, load (with `extends`) and validate checklists; drift between releases
- answers/     the audit file and what hangs on it: answers, evidence, measures, locks, bundles
- judgement/   what the answers mean: scores, gaps, the action plan, comparisons, portfolio
- terminal/    the walkthrough and everything printed to a terminal
- render/      the report in every format

Beside them: the commands (cli.py), the file schema (model.py, read by yamlio.py and
validation.py) and shared plumbing (errors, files, i18n, resources, system).
"""

__version__ = "0.2.0"
