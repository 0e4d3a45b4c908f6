"""Stage 1, ingest: files, folders and .jsonl(.gz) read into articles (RawArticle), then
normalised into Documents (Simplified Chinese, cleaned, with a map back to the text as read)."""
