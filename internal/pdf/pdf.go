package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Errors wrapped by Read; test with errors.Is.
var (
	// ErrEncrypted: the file needs a password other than the empty one.
	ErrEncrypted = errors.New("encrypted PDF: a password is required to open it")
	// ErrDamaged: the file structure could not be read at all.
	ErrDamaged = errors.New("damaged PDF: the file structure cannot be read")
	// ErrTooLarge: the input exceeds Limits.MaxBytes.
	ErrTooLarge = errors.New("PDF exceeds the size limit")
	// ErrNotPDF: the input has no %PDF header.
	ErrNotPDF = errors.New("not a PDF file")

	// errInternal marks a recovered panic: a bug here or in pdfcpu.
	errInternal = errors.New("internal error")
)

// Read extracts the text and tables of a PDF. See the package comment for
// what it produces. A file that needs a password or cannot be parsed gives
// an error together with a Document carrying the matching note, so that
// callers that keep going still record why nothing was read.
func Read(ctx context.Context, in document.Input) (doc *document.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("pdf: reading %s: %w: %v", in.Source, errInternal, r)
		}
	}()
	lim := in.Limits.WithDefaults()
	if int64(len(in.Data)) > lim.MaxBytes {
		return nil, fmt.Errorf("pdf: %s: %d bytes: %w (%d)", in.Source, len(in.Data), ErrTooLarge, lim.MaxBytes)
	}
	head := in.Data[:min(len(in.Data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, fmt.Errorf("pdf: %s: %w", in.Source, ErrNotPDF)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdf: %s: %w", in.Source, err)
	}
	doc = &document.Document{Source: in.Source, Format: "pdf"}
	pc, err := open(ctx, in.Data, lim)
	damaged := err != nil
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("pdf: %s: %w", in.Source, ctxErr)
		}
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			doc.AddNote(document.NoteEncrypted, "PDF 设有打开密码", "the PDF is encrypted with a user password")
			return doc, fmt.Errorf("pdf: %s: %w", in.Source, ErrEncrypted)
		}
		kind := document.NoteCorrupt
		if truncated(in.Data) {
			kind = document.NoteTruncated
		}
		fixed, ok := salvage(in.Data)
		var serr error
		if ok {
			pc, serr = open(ctx, fixed, lim)
		}
		if !ok || serr != nil {
			doc.AddNote(kind, "PDF 无法解析：%v", "the PDF cannot be parsed: %v", err)
			return doc, fmt.Errorf("pdf: %s: %w: %w", in.Source, ErrDamaged, err)
		}
		doc.AddNote(kind, "PDF 已损坏（%v），已重建交叉引用表并读取了尚存的内容", "the PDF is damaged (%v); its cross-reference table was rebuilt and what survived was read", err)
	}
	if !damaged && truncated(in.Data) {
		doc.AddNote(document.NoteTruncated, "PDF 没有文件结束标记，可能不完整", "the PDF has no end-of-file marker: it may be cut short")
	}
	o := &objects{x: pc.XRefTable, budget: lim.MaxUnpacked, fonts: map[fontKey]*font{}, forms: map[int][]byte{}}
	pages, declared := o.pages()
	doc.Pages = max(len(pages), declared)
	if len(pages) == 0 {
		doc.AddNote(document.NoteCorrupt, "PDF 没有可读的页面树", "the PDF has no readable page tree")
		return doc, fmt.Errorf("pdf: %s: %w: no readable page tree", in.Source, ErrDamaged)
	}
	if declared > len(pages) {
		doc.AddNote(document.NoteCorrupt, "只找到%d页（共%d页）", "only %d of %d pages could be found", len(pages), declared)
	}
	if len(pages) > lim.MaxPages {
		doc.AddNote(document.NoteLimit, "只读取了前%d页（共%d页）", "only the first %d of %d pages were read", lim.MaxPages, len(pages))
		pages = pages[:lim.MaxPages]
	}
	var layouts []pageLayout
	var noText []int
	images, chars, cells := 0, 0, 0
	// cut: a limit left content unread, so a page without text may have
	// its text there
	cut := false
	var bigGrids, droppedGrids []int // pages
	stop := document.NewInterrupt(ctx)
	for i, pg := range pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pdf: %s: page %d: %w", in.Source, i+1, err)
		}
		pd, perr := o.readPage(pg, stop)
		if stop.Stop() {
			return nil, fmt.Errorf("pdf: %s: page %d: %w", in.Source, i+1, stop.Err())
		}
		partial := errors.Is(perr, errStreamLimit) || o.exceeded || pd != nil && pd.overLimit
		cut = cut || partial
		switch {
		case errors.Is(perr, errStreamLimit):
			doc.AddNote(document.NoteLimit, "第%d页的内容流解压后超过%d字节：未读", "page %d: a content stream decodes to more than %d bytes and was not read", i+1, maxStream)
		case perr != nil:
			doc.AddNote(document.NoteCorrupt, "第%d页：%v", "page %d: %v", i+1, perr)
		}
		if pd == nil {
			layouts = append(layouts, pageLayout{})
			continue
		}
		if pd.overLimit {
			doc.AddNote(document.NoteLimit, "第%d页：绘图操作过多，该页其余部分未读取", "page %d: too many drawing operations; the rest of the page was skipped", i+1)
		}
		if pd.formErrors > 0 {
			doc.AddNote(document.NoteCorrupt, "第%d页：%d个嵌入表单无法绘制", "page %d: %d embedded forms could not be drawn", i+1, pd.formErrors)
		}
		images += pd.images
		if len(pd.glyphs) == 0 && pd.images > 0 && !partial {
			noText = append(noText, i+1)
		}
		pl := layoutPage(pd, lim.MaxCells-cells)
		cells += pl.cells
		if pl.bigGrids > 0 {
			bigGrids = append(bigGrids, i+1)
		}
		if pl.droppedGrids > 0 {
			droppedGrids = append(droppedGrids, i+1)
		}
		layouts = append(layouts, pl)
		if o.exceeded {
			doc.AddNote(document.NoteLimit, "解码数据在第%[2]d页超过%[1]d字节，之后的页面未读取", "decoded data exceeded %d bytes at page %d; later pages were not read", lim.MaxUnpacked, i+1)
			break
		}
		if chars += len(pd.glyphs); chars > lim.MaxText && i+1 < len(pages) {
			doc.AddNote(document.NoteLimit, "文字在第%[2]d页超过%[1]d个字符：其后各页未读", "more than %d characters of text by page %d; later pages were not read", lim.MaxText, i+1)
			break
		}
	}
	if len(bigGrids) > 0 {
		doc.AddNote(document.NoteLimit, "表格线构成超过%[1]d个单元格的网格，按文字读取（第%[2]s页）", "rules forming grids of more than %[1]d cells were read as text (pages %[2]s)", maxGridCells, intList(bigGrids))
	}
	if len(droppedGrids) > 0 {
		doc.AddNote(document.NoteLimit, "超过%[1]d个上限的表格被舍弃（第%[2]s页）", "tables beyond the limit of %[1]d cells were not kept (pages %[2]s)", lim.MaxCells, intList(droppedGrids))
	}
	assemble(doc, layouts, lim)
	doc.Title = title(o, doc)
	switch {
	case len(doc.Blocks) == 0 && cut:
		// the limit notes say why nothing was read
	case len(doc.Blocks) == 0 && images > 0:
		doc.AddNote(document.NoteNoText, "全部%d页都没有可提取的文字，只有图片（扫描件需要OCR）", "no extractable text on any of %d pages: images only (a scan needs OCR)", len(layouts))
	case len(doc.Blocks) == 0:
		doc.AddNote(document.NoteNoText, "全部%d页都没有可提取的文字", "no extractable text on any of %d pages", len(layouts))
	case len(noText) > 0:
		doc.AddNote(document.NoteNoText, "没有可提取文字的页面（只有图片）：%s", "pages without extractable text (images only): %s", intList(noText))
	}
	return doc, nil
}

func intList(v []int) string {
	var sb strings.Builder
	for i, n := range v {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%d", n)
	}
	return sb.String()
}

func truncated(data []byte) bool {
	tail := data[max(0, len(data)-1024):]
	return !bytes.Contains(tail, []byte("%%EOF"))
}

// open parses the file structure with pdfcpu. The configuration is built
// here rather than with model.NewDefaultConfiguration, which would create
// a configuration directory in the user's home.
func open(ctx context.Context, data []byte, lim document.Limits) (*model.Context, error) {
	limits := model.DefaultResourceLimits()
	limits.MaxStreamBytes = min(limits.MaxStreamBytes, lim.MaxBytes)
	limits.MaxDecodeBytes = min(limits.MaxDecodeBytes, lim.MaxUnpacked, maxStream)
	limits.MaxImageBytes = min(limits.MaxImageBytes, lim.MaxUnpacked)
	limits.MaxObjectCount = min(limits.MaxObjectCount, 2_000_000)
	limits.MaxXRefEntries = min(limits.MaxXRefEntries, 2_000_000)
	conf := &model.Configuration{
		Reader15:       true,
		ValidationMode: model.ValidationRelaxed,
		Limits:         limits,
	}
	return pdfcpu.ReadWithContext(ctx, bytes.NewReader(data), conf)
}

// pageRef is a page dictionary with its inherited attributes.
type pageRef struct {
	dict   types.Dict
	res    types.Dict
	box    [4]float64
	rotate int
}

// pages walks the page tree, inheriting Resources, MediaBox, CropBox and
// Rotate, with cycle and depth protection.
func (o *objects) pages() ([]pageRef, int) {
	root, err := o.x.Catalog()
	if err != nil || root == nil {
		return nil, 0
	}
	declared := int(o.numOr(o.get(o.dict(root["Pages"]), "Count"), 0))
	declared = max(0, min(declared, 1_000_000))
	var out []pageRef
	seen := map[int]bool{}
	var walk func(obj types.Object, inh pageRef, depth int)
	walk = func(obj types.Object, inh pageRef, depth int) {
		if depth > 64 || len(out) >= 100000 {
			return
		}
		if ir, ok := obj.(types.IndirectRef); ok {
			n := ir.ObjectNumber.Value()
			if seen[n] {
				return
			}
			seen[n] = true
		}
		d := o.dict(obj)
		if d == nil {
			return
		}
		if r := o.dict(d["Resources"]); r != nil {
			inh.res = r
		}
		if b, ok := o.rect(d["MediaBox"]); ok {
			inh.box = b
		}
		if b, ok := o.rect(d["CropBox"]); ok {
			inh.box = b
		}
		if r, ok := o.num(d["Rotate"]); ok {
			inh.rotate = ((int(r) % 360) + 360) % 360 / 90 * 90
		}
		kids := o.array(d["Kids"])
		if kids == nil || o.name(d["Type"]) == "Page" {
			inh.dict = d
			out = append(out, inh)
			return
		}
		for _, k := range kids {
			walk(k, inh, depth+1)
		}
	}
	walk(root["Pages"], pageRef{box: [4]float64{0, 0, 595, 842}}, 0)
	return out, declared
}

func (o *objects) rect(obj types.Object) ([4]float64, bool) {
	a := o.array(obj)
	if len(a) != 4 {
		return [4]float64{}, false
	}
	var r [4]float64
	for i := range r {
		v, ok := o.num(a[i])
		if !ok {
			return r, false
		}
		r[i] = v
	}
	x0, x1 := math.Min(r[0], r[2]), math.Max(r[0], r[2])
	y0, y1 := math.Min(r[1], r[3]), math.Max(r[1], r[3])
	if x1-x0 < 1 || y1-y0 < 1 {
		return r, false
	}
	return [4]float64{x0, y0, x1, y1}, true
}

// readPage interprets one page's content. A panic inside is turned into
// an error for this page only.
func (o *objects) readPage(pg pageRef, stop *document.Interrupt) (pd *pageData, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("content could not be interpreted: %w: %v", errInternal, r)
		}
	}()
	w, h := pg.box[2]-pg.box[0], pg.box[3]-pg.box[1]
	// Display space: origin at the box's lower left, page rotation applied
	// so that upright text is horizontal.
	base := translate(-pg.box[0], -pg.box[1])
	switch pg.rotate {
	case 90:
		base = base.mul(matrix{0, -1, 1, 0, 0, w})
		w, h = h, w
	case 180:
		base = base.mul(matrix{-1, 0, 0, -1, w, h})
	case 270:
		base = base.mul(matrix{0, 1, -1, 0, h, 0})
		w, h = h, w
	}
	pd = &pageData{w: w, h: h}
	contents, ok := pg.dict["Contents"]
	if !ok {
		return pd, nil
	}
	var data []byte
	switch c := o.resolve(contents).(type) {
	case types.StreamDict:
		data, err = o.stream(contents)
	case types.Array:
		for _, part := range c {
			b, e := o.stream(part)
			if e != nil {
				err = e
				continue
			}
			data = append(data, b...)
			data = append(data, '\n')
		}
	}
	if errors.Is(err, errBudget) {
		err = nil
	}
	in := &interp{o: o, page: pd, gs: gstate{ctm: base, hscale: 1}, tm: identity, tlm: identity, stop: stop}
	in.run(data, pg.res, 0)
	return pd, err
}
