from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kindling.accounts"
    label = "accounts"
    verbose_name = "Accounts"
