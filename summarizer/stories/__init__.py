"""From many articles to stories: clustering articles into story clusters, and the digest site.

* :mod:`~summarizer.stories.cluster` groups articles about one event (``cluster_articles``).
* :mod:`~summarizer.stories.digest` runs feeds → clusters → briefs → a static site (``digest``).
"""
