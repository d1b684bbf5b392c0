package importing

import "time"

// Limits of one import (documented in docs/importing.md and the README's
// "Operating Debrief" section). They bound what one upload can cost the
// server: the file is read as a stream of rows, so memory follows the
// file size cap and the chunk size, not the number of rows.
const (
	// MaxFileBytes bounds an uploaded import file (20 MiB). The upload
	// form refuses a larger file with 413 and stores nothing.
	MaxFileBytes = 20 << 20
	// MaxCellBytes bounds one CSV cell or JSON string (64 KiB); a row
	// with a longer one is rejected, naming the line and the column.
	MaxCellBytes = 64 << 10
	// MaxRows bounds the rows of one import.
	MaxRows = 200_000
	// MaxReportErrors bounds the row problems a report keeps; the rest
	// are counted (Report.ErrorsOmitted).
	MaxReportErrors = 1000
	// MaxReportBytes bounds the stored report (preview rows and problems)
	// as JSON (1 MiB); longer reports keep fewer preview rows and problems.
	MaxReportBytes = 1 << 20
	// PreviewTTL is how long an unconfirmed preview (and its uploaded
	// file) is kept; after it the preview is deleted and cannot be confirmed.
	PreviewTTL = 24 * time.Hour
	// maxTextInReport bounds one text (a title, a problem) in a report.
	maxTextInReport = 300
	// chunkRows is how many rows are mapped, checked and written at once.
	chunkRows = 500
)
