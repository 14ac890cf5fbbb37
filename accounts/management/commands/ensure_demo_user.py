from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import User

DEMO_EMAIL = "demo@proofsheet.local"


class Command(BaseCommand):
    help = "Create (or refresh) the local demo photographer and print how to log in."

    def handle(self, *args, **options) -> None:
        password = settings.DEMO_PASSWORD
        if not password:
            self.stdout.write("DEMO_PASSWORD is not set: no demo account made.")
            return
        user, created = User.objects.get_or_create(
            email=DEMO_EMAIL,
            defaults={
                "display_name": "Demo Photographer",
                "studio_name": "Demo Studio",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        self.stdout.write(
            self.style.SUCCESS(
                "\n  Demo photographer (also an admin at /admin/):\n"
                f"    email:    {DEMO_EMAIL}\n"
                f"    password: {password}\n"
            )
        )
