"""cxaudit: a customer-expectations audit for online stores."""

__version__ = "0.2.0"
