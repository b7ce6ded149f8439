"""Request and response models: ``<Thing>Create``, ``<Thing>Update``, ``<Thing>Read``."""
