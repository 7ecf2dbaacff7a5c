// Package ingest is the first stage of sohoa: it watches the inbox folder that
// office scanners write into, takes each file once it is complete, and puts
// its pages on the queue.
//
// For each file it: reads it and hashes it (SHA-256 → document id, so the same
// file dropped twice is one document); splits it into page images by content
// (package pages); stores each page as a claim-check blob in the work bucket;
// records the document's status; and publishes one PageTask per page.
//
// The pages of an electronic PDF that draw no scan are rendered with poppler
// (package epdf), and each becomes a PNG page like a scan's. One that carries
// usable text needs no OCR: ingest stores its own text as the page's result
// (pipeline.PageText, where a worker stores OCR) before any page is queued,
// and queues no PageTask for it; when no page of a file needs OCR, ingest
// itself tells the archive that the document is ready (DocReady).
//
// The original stays in the inbox while its document is in the pipeline. It is
// moved to done/ only when the archive has committed the document's PDF and
// says so (a Retire message on this ingest's own subject), or to failed/ with
// a .reason.txt beside it when the document cannot be processed. Then the
// page blobs are deleted. After a restart the inbox is scanned again: files
// whose documents were archived meanwhile are retired, the others are queued
// again under the same message ids, which the stream drops as duplicates.
//
// Run owns every goroutine it starts and returns when its context ends.
package ingest
