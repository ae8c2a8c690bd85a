"""Course ① lectures: the Markdown content pipeline, lecture pages and watched coverage."""
