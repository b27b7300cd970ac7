"""Updating a story brief as new articles arrive.

==============  ============================================================
module          holds
==============  ============================================================
``sources``     the old brief's articles, found again (paths, digests, ``--with``)
``changes``     what the new articles bring: facts, figures, actors, quotes
``request``     the one small model call (``prompts/update.j2``) and its schema
``flow``        :func:`update` / :func:`aupdate`: the steps, the truth layer, the changelog
==============  ============================================================
"""

from __future__ import annotations

from .flow import Updater, aupdate, update

__all__ = ["Updater", "aupdate", "update"]
