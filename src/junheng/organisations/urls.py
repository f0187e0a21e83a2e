from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

app_name = "organisations"
urlpatterns = [
    *(
        url
        for name in ("districts", "schools", "institutions", "clusters")
        for url in resource_urls(REGISTRY[name])
    ),
]
