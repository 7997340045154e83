"""An audit's answers on disk: the audit file, evidence, measures, locks, bundles."""
