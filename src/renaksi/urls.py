from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

urlpatterns: list[URLPattern | URLResolver] = [
    # Choosing the language is open to anyone, the public portal's visitors included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
urlpatterns += i18n_patterns(
    path("akun/", include("renaksi.accounts.urls")),
    path("kelola/", include("renaksi.accounts.management_urls")),
    path("publik/", include("renaksi.portal.urls")),
    path("impor/", include("renaksi.imports.urls")),
    path("pekerjaan/", include("renaksi.jobs.urls")),
    path("", include("renaksi.budget.urls")),
    path("", include("renaksi.exports.urls")),
    path("", include("renaksi.history.urls")),
    path("", include("renaksi.planning.editor_urls")),
    path("", include("renaksi.planning.urls")),
    prefix_default_language=False,
)
