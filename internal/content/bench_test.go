package content

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/vn"
)

// benchBody is a post body as the benchmark corpus has them (2-4 KB of
// Vietnamese text, a GFM table, a list).
const benchBody = `Nhằm nâng cao chất lượng phục vụ người dân, Ủy ban nhân dân xã tổ chức hội nghị sơ kết công tác 6 tháng đầu năm tại hội trường Ủy ban nhân dân xã, với sự tham gia đông đủ của cán bộ, nhân dân. Hội nghị đánh giá kết quả thực hiện kế hoạch cải cách hành chính và chương trình mục tiêu quốc gia xây dựng nông thôn mới.

Tính đến ngày 27/6/2024, Bộ phận Một cửa đã tiếp nhận 512 hồ sơ, giải quyết đúng hạn 509 hồ sơ, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,4%. Hợp tác xã Nông nghiệp Đồng Tiến hướng dẫn bà con kỹ thuật trồng lúa chất lượng cao trên địa bàn toàn xã, huy động được 942 triệu đồng từ nguồn xã hội hóa.

Kết quả cụ thể tại các thôn như sau:

| Thôn, xóm | Số hộ | Đã đăng ký | Tỷ lệ (%) |
|---|---:|---:|---:|
| Thôn Đồng Tâm | 358 | 291 | 81.3 |
| Thôn Hưng Đạo | 419 | 418 | 99.8 |
| Xóm Cầu Đất | 342 | 333 | 97.4 |
| Thôn Thượng Đồng | 359 | 256 | 71.3 |

Hội đồng nhân dân xã phối hợp thực hiện mô hình “Dân vận khéo” theo đúng quy định. Hưởng ứng chủ trương của Đảng ủy, Công an xã phát động phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”, đã có 753 lượt người dân tham gia.

## Nhiệm vụ 6 tháng cuối năm

- Tiếp tục đẩy mạnh dịch vụ công trực tuyến toàn trình;
- Tuyên truyền, phổ biến pháp luật về đất đai đến từng thôn, xóm;
- Chuẩn bị kế hoạch tuyển chọn, gọi công dân nhập ngũ năm 2025.

Trạm Y tế xã tổng kết đợt khám sức khỏe miễn phí cho người cao tuổi, góp phần giữ vững an ninh chính trị, trật tự an toàn xã hội trên địa bàn.
`

// benchPosts are the same post with its front matter in each format.
var benchPosts = map[string]string{
	"yaml": `---
title: "Ủy ban nhân dân xã tổ chức hội nghị sơ kết công tác 6 tháng đầu năm"
date: 2024-04-15T09:04:55+07:00
category: "Cải cách hành chính"
summary: "Hội nghị đánh giá kết quả thực hiện kế hoạch cải cách hành chính, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,4%."
slug: "uy-ban-nhan-dan-xa-to-chuc-hoi-nghi-so-ket-00042"
tags: ["Ủy ban nhân dân", "dịch vụ công trực tuyến"]
---
` + benchBody,
	"toml": `+++
title = "Ủy ban nhân dân xã tổ chức hội nghị sơ kết công tác 6 tháng đầu năm"
date = 2024-04-15T09:04:55+07:00
category = "Cải cách hành chính"
summary = "Hội nghị đánh giá kết quả thực hiện kế hoạch cải cách hành chính, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,4%."
slug = "uy-ban-nhan-dan-xa-to-chuc-hoi-nghi-so-ket-00042"
tags = ["Ủy ban nhân dân", "dịch vụ công trực tuyến"]
+++
` + benchBody,
	"json": `{
  "title": "Ủy ban nhân dân xã tổ chức hội nghị sơ kết công tác 6 tháng đầu năm",
  "date": "2024-04-15T09:04:55+07:00",
  "category": "Cải cách hành chính",
  "summary": "Hội nghị đánh giá kết quả thực hiện kế hoạch cải cách hành chính, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,4%.",
  "slug": "uy-ban-nhan-dan-xa-to-chuc-hoi-nghi-so-ket-00042",
  "tags": ["Ủy ban nhân dân", "dịch vụ công trực tuyến"]
}

` + benchBody,
}

// BenchmarkLoadPage measures reading one post: the UTF-8 check, NFC, the
// front matter's split and decoding with positions, and its fields.
func BenchmarkLoadPage(b *testing.B) {
	loc, err := vn.LoadLocation("")
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"yaml", "toml", "json"} {
		b.Run(format, func(b *testing.B) {
			data := []byte(benchPosts[format])
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var diags diag.List
				if p := loadPage(diag.Source{Name: "content/tin-tuc/hoi-nghi.md", Data: data}, loc, &diags); p == nil || len(diags) > 0 {
					b.Fatalf("page not loaded: %v", diags)
				}
			}
		})
	}
}

// BenchmarkLoad measures the whole loading stage for a site of 1,000 YAML
// posts held in memory, so that no disk is involved; ns/post is the figure
// to compare with BenchmarkLoadPage.
func BenchmarkLoad(b *testing.B) {
	const n = 1000
	fsys := fstest.MapFS{
		"content/site.yaml": {Data: []byte("title: Trang thông tin điện tử xã Đông Hưng\nbase_url: https://donghung.example.gov.vn/\n")},
	}
	for i := range n {
		post := strings.Replace(benchPosts["yaml"], "00042", fmt.Sprintf("%05d", i), 1)
		fsys[fmt.Sprintf("content/tin-tuc/bai-%05d.md", i)] = &fstest.MapFile{Data: []byte(post)}
	}
	b.ReportAllocs()
	for b.Loop() {
		s, diags := Load(fsys, nil, Options{})
		if diags.HasErrors() || len(s.Pages) != n {
			b.Fatalf("%d pages loaded: %v", len(s.Pages), diags)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/post")
}
