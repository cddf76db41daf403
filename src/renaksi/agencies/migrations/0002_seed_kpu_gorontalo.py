"""The seven KPU satker of Gorontalo: the province and its six Kabupaten/Kota."""

from django.db import migrations

PROVINCE = ("kpu-prov-gorontalo", "KPU Provinsi Gorontalo")
REGENCIES = [
    ("kpu-kota-gorontalo", "KPU Kota Gorontalo"),
    ("kpu-kab-gorontalo", "KPU Kabupaten Gorontalo"),
    ("kpu-kab-boalemo", "KPU Kabupaten Boalemo"),
    ("kpu-kab-pohuwato", "KPU Kabupaten Pohuwato"),
    ("kpu-kab-bone-bolango", "KPU Kabupaten Bone Bolango"),
    ("kpu-kab-gorontalo-utara", "KPU Kabupaten Gorontalo Utara"),
]


def seed(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    province, _ = Agency.objects.get_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": "province", "time_zone": "Asia/Makassar"}
    )
    for code, name in REGENCIES:
        Agency.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": "regency", "parent": province, "time_zone": "Asia/Makassar"},
        )


def unseed(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    Agency.objects.filter(code__in=[code for code, _ in REGENCIES]).delete()
    Agency.objects.filter(code=PROVINCE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
