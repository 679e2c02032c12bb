// Command ogicheck checks Chinese government information-disclosure annual
// reports (政府信息公开工作年度报告) and the sites that publish them.
//
//	ogicheck check report.html                  check files, directories or - (stdin)
//	ogicheck check https://www.example.gov.cn/  crawl a site and check its reports
//	ogicheck demo                               check a simulated set of sites on 127.0.0.1
//	ogicheck rules                              list the rules
//	ogicheck rules explain PUB-LATE             explain one rule
package main

import (
	"os"
	_ "time/tzdata" // --tz works on machines without a zoneinfo database
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
