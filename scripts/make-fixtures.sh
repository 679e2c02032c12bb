#!/usr/bin/env bash
# make-fixtures.sh regenerates the round-trip fixtures from hand-written sources
# with real office software, so the readers are tested on files that real tools
# write rather than on files built by the code under test.
#
#   testdata/roundtrip/report.html        source (UTF-8, written by hand)
#   -> report.docx  LibreOffice Writer, "MS Word 2007 XML"
#   -> report.doc   LibreOffice Writer, "MS Word 97"
#   -> report.pdf   writer_pdf_Export of report.docx
#   -> report.xlsx  LibreOffice Calc HTML import, "Calc MS Excel 2007 XML"
#   -> report.xls   LibreOffice Calc HTML import, "MS Excel 97"
#   -> report_gbk.html  iconv to GBK, <meta charset> changed to gb2312
#   -> report.ofd   built by internal/ofd/fixture_test.go (LibreOffice cannot write OFD)
#   -> report.txt   the text the Word readers must give (internal/docx test, -update)
#   tables.tsv (data rows of the tables) is kept by hand; internal/docx tests
#   check it against report.html.
#
#   internal/msdoc/testdata/cells.html (written by hand: empty cells, merged
#   empty cells, a nested table) -> cells.doc, cells.docx
#   encrypted.doc, encrypted.xls: the sample report saved with the password
#   "secret" (scripts/lo-encrypt.py, through a LibreOffice listener)
#
#   internal/xls/testdata/applications.html (generated below: a register of
#   applications with long unique texts, so that the BIFF8 shared string table
#   overflows one record and continues in CONTINUE records)
#   -> internal/xls/testdata/applications.xls
#
# Usage: scripts/make-fixtures.sh   (from anywhere; needs root or an installed
# LibreOffice the first time).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rt="$root/testdata/roundtrip"
xlsdir="$root/internal/xls/testdata"

if ! command -v soffice >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk
fi
command -v iconv >/dev/null || { echo "iconv is missing" >&2; exit 1; }

# LibreOffice needs a writable profile; keep it out of the user's HOME.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME"
profile="-env:UserInstallation=file://$work/profile"

lo() { soffice "$profile" --headless --norestore "$@" >"$work/soffice.log" 2>&1 || {
	cat "$work/soffice.log" >&2
	return 1
}; }

cp "$rt/report.html" "$work/report.html"
cd "$work"

# Writer: --infilter makes Writer (not Writer/Web) import the page.
lo --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML' report.html
lo --infilter="HTML (StarWriter)" --convert-to 'doc:MS Word 97' report.html
lo --convert-to 'pdf:writer_pdf_Export' report.docx
# Calc: each table keeps its merged ranges; paragraphs become one-cell rows.
mkdir calc
lo --infilter="HTML (StarCalc)" --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir calc report.html
lo --infilter="HTML (StarCalc)" --convert-to 'xls:MS Excel 97' --outdir calc report.html

cp report.docx report.doc report.pdf "$rt/"
cp calc/report.xlsx calc/report.xls "$rt/"

sed 's/<meta charset="utf-8">/<meta charset="gb2312">/' "$rt/report.html" | iconv -f UTF-8 -t GBK >"$rt/report_gbk.html"

# Register of applications: 80 rows of distinct ~120-character requests make
# a shared string table of ~25 KB, i.e. an SST record plus CONTINUE records,
# with strings crossing the record boundaries.
topics=(城区道路改造工程的立项批复、资金来源及施工单位中标情况 农村集体土地征收补偿标准、安置方案及补偿款发放明细
	县第一人民医院新院区建设项目环境影响评价报告及审批意见 城关镇老旧小区改造项目的招标文件、合同及验收资料
	二〇二二年度县级财政专项资金分配方案及使用绩效评价报告 县域内义务教育学校学区划分依据及招生计划的制定过程)
{
	echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>桐溪县2023年政府信息公开申请办理情况登记表</title></head><body>'
	echo '<table border="1"><tr><td>登记编号</td><td>收到日期</td><td>申请内容</td><td>申请人类型</td><td>办理结果</td></tr>'
	for i in $(seq 1 80); do
		t=${topics[$((i % ${#topics[@]}))]}
		printf '<tr><td>TXGK-2023-%03d</td><td>2023-%02d-%02d</td><td>申请人第%d号申请：请求公开%s，并提供相关会议纪要、请示报告和上级部门批复文件的复印件（第%d件）</td><td>%s</td><td>%s</td></tr>\n' \
			"$i" $((i % 12 + 1)) $((i % 28 + 1)) "$i" "$t" "$i" \
			"$([ $((i % 5)) -eq 0 ] && echo 商业企业 || echo 自然人)" \
			"$([ $((i % 3)) -eq 0 ] && echo 部分公开 || echo 予以公开)"
	done
	echo '</table></body></html>'
} >"$xlsdir/applications.html"
docdir="$root/internal/msdoc/testdata"
cp "$docdir/cells.html" cells.html
lo --infilter="HTML (StarWriter)" --convert-to 'doc:MS Word 97' cells.html
lo --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML' cells.html
cp cells.doc "$docdir/"
cp cells.docx "$root/internal/docx/testdata/"

# Encrypted files need a password, which --convert-to cannot pass: drive a
# LibreOffice listener over UNO (python3-uno comes with LibreOffice).
soffice "$profile" --headless --norestore --accept="pipe,name=ogifixtures$$;urp;" >"$work/listener.log" 2>&1 &
listener=$!
/usr/bin/python3 "$root/scripts/lo-encrypt.py" "ogifixtures$$" report.html "$docdir/encrypted.doc" "MS Word 97" secret
/usr/bin/python3 "$root/scripts/lo-encrypt.py" "ogifixtures$$" report.html "$xlsdir/encrypted.xls" "MS Excel 97" secret
kill "$listener"
wait "$listener" 2>/dev/null || true

cp "$xlsdir/applications.html" applications.html
lo --infilter="HTML (StarCalc)" --convert-to 'xls:MS Excel 97' --outdir calc applications.html
cp calc/applications.xls "$xlsdir/"

# Files derived by the Go tests: the OFD fixture and the expected text.
cd "$root"
go test ./internal/ofd -run 'TestFixture$' -update >/dev/null
go test ./internal/docx -run 'TestReadText$' -update >/dev/null

ls -l "$rt" "$xlsdir"/*.xls "$docdir"/*.doc
