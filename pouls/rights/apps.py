from django.apps import AppConfig


class RightsConfig(AppConfig):
    """Customers' rights over what Pouls holds about them (access, export, erasure) and the
    retention purge: a service above feedback, callbacks and surveys, which it reads and
    erases (it has no models of its own)."""

    name = "pouls.rights"
    label = "rights"
    verbose_name = "Droits des clients"
