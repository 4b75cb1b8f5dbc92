from django.core.management.base import BaseCommand

from stedennet.site.demo import load_demo_news


class Command(BaseCommand):
    help = ("Invented news items on the public site (under /nieuws/, made when there is none), one with an image. "
            "All flagged demo; a second run adds nothing.")

    def handle(self, *args, **options) -> None:
        counts = load_demo_news()
        self.stdout.write(f"Demo news: {counts['added']} items added, {counts['total']} under the news index. "
                          "All flagged as demo data.")
