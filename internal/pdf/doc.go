// Package pdf reads PDF files into a document.Document: paragraphs in
// reading order, and tables rebuilt from positioned text.
//
// # What Read produces
//
//   - Blocks in reading order. Wrapped lines are joined into one paragraph
//     (a line that reaches the right margin continues on the next one unless
//     that one is indented or starts a numbered heading), also across page
//     breaks. Spaces next to Chinese characters are dropped: they come from
//     justification, not from the text.
//   - Tables. Ruled tables (every report made with WPS, Word or LibreOffice
//     draws its cell borders) are read from the rules: the grid gives rows,
//     columns, rowspans and colspans, so a label written on two lines, or
//     numbers centred on another baseline than their label, stay in one row,
//     and a group label printed in a rowspan (「（三）不予公开」, the vertical
//     「三、本年度办理结果」) stays in its own leading column, repeated in the
//     rows it spans as Spanned cells. Empty cells are kept in their column.
//     A table cut by a page break is joined with its continuation (same
//     column boundaries), and the rowspan label cut by the break is carried
//     over. Without rules, lines that split into fragments at wide gaps with
//     numbers among them become a table (Ragged when the columns do not line
//     up), and a label wrapped onto lines of its own is joined with the row of
//     numbers below it.
//   - Page numbers (「-3-」, 「第3页」…) and running headers and footers
//     repeated in the page margins are dropped, so they neither show up as
//     text nor split a table.
//   - Title: the Info dictionary's title when it says more than the first
//     lines of the first page (WPS often writes just 「政府信息公开工作年度报告」
//     there), else the first paragraph, which joins a title set on two
//     centred lines.
//   - Notes: NoteNoText for a scan (pages with images and no text),
//     NoteEncrypted with ErrEncrypted when a user password is needed (files
//     with an empty user password, RC4 or AES up to AES-256, are read),
//     NoteTruncated/NoteCorrupt when the cross-reference table had to be
//     rebuilt (a download cut short keeps the pages that arrived),
//     NoteLimit when Limits.MaxPages, MaxUnpacked or MaxCells stopped the
//     reading; what was read before is kept.
//
// # Why pdfcpu plus our own text layer
//
// Measured on the two real 5-page reports (WPS, CID TrueType fonts with
// Identity-H/V and ToUnicode) and the generated samples (LibreOffice,
// cairo Identity-H, UniGB-UCS2-H without ToUnicode, AES-256), 2 cores:
//
//   - pdftotext -layout, the speed target: 20–25 ms per report, process
//     included.
//   - go-pdfium (PDFium compiled to Wasm, run by wazero): best fidelity, but
//     5.6 s to initialise, 320–360 MB resident, and still 31 ms per report
//     once warm: slower than the target even without its start-up.
//   - ledongthuc/pdf Page.Content(): 74–91 ms per report (it parses each
//     font's ToUnicode CMap again at every Tf and inflates object streams
//     again for every object), ignores CID widths (/W), cannot open AES-256,
//     and panics on malformed input.
//   - pdfcpu (github.com/pdfcpu/pdfcpu) parses the whole file structure in
//     1–2 ms per report, decrypts RC4, AES-128 and AES-256, rebuilds damaged
//     cross-reference tables, and bounds decoded sizes and nesting depth; it
//     has no text extraction.
//
// So pdfcpu reads the objects and this package interprets the content
// streams: text state and matrices, Type0/CID fonts with their /W widths,
// ToUnicode CMaps, the predefined CJK CMaps (UCS2, UTF-16, GBK, Big5,
// Shift-JIS, EUC), simple-font encodings with /Differences, form XObjects,
// vertical writing, and the ruling lines that tables are rebuilt from.
// A report takes about 9 ms in-process (bench/pdf prints the comparison
// with pdftotext). Everything stays pure Go: CGO_ENABLED=0 builds.
//
// # Robustness
//
// Panics in pdfcpu or here are recovered: Read returns an error naming the
// file, a page that fails is noted and skipped. Decoded stream bytes are
// charged against Limits.MaxUnpacked (and passed to pdfcpu as its decode
// limit), form XObjects nest at most 12 deep and never recurse into
// themselves, the page tree walk stops at cycles, and operand stacks,
// arrays, graphics-state stacks, glyphs and rules per page are capped.
// The context is checked before every page.
package pdf
