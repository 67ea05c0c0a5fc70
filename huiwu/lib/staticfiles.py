"""The static files' storage: WhiteNoise's hashed and gzipped files, without Brotli.

WeasyPrint's font handling installs the `brotli` module (fontTools[woff]), and WhiteNoise then compresses every
file with Brotli too, at its highest quality: `huiwu serve` collects the static files at each start, and that
alone took some 20 s. Gzip is what every browser on a government intranet accepts."""

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(**kwargs, use_brotli=False)
