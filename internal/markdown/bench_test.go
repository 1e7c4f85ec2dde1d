package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// benchDoc is a post body as the benchmark corpus has them (2-4 KB of
// Vietnamese text, a GFM table, a heading, a list, a relative link).
var benchDoc = []byte(`Nhằm nâng cao chất lượng phục vụ người dân, Ủy ban nhân dân xã tổ chức hội nghị sơ kết công tác 6 tháng đầu năm tại hội trường Ủy ban nhân dân xã, với sự tham gia đông đủ của cán bộ, nhân dân. Hội nghị đánh giá kết quả thực hiện kế hoạch cải cách hành chính và chương trình mục tiêu quốc gia xây dựng nông thôn mới.

Tính đến ngày 27/6/2024, Bộ phận Một cửa đã tiếp nhận 512 hồ sơ, giải quyết đúng hạn 509 hồ sơ, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,4%. Hợp tác xã Nông nghiệp Đồng Tiến hướng dẫn bà con kỹ thuật trồng lúa chất lượng cao trên địa bàn toàn xã, huy động được 942 triệu đồng từ nguồn xã hội hóa.

Kết quả cụ thể tại các thôn như sau:

| Thôn, xóm | Số hộ | Đã đăng ký | Tỷ lệ (%) |
|---|---:|---:|---:|
| Thôn Đồng Tâm | 358 | 291 | 81.3 |
| Thôn Hưng Đạo | 419 | 418 | 99.8 |
| Xóm Cầu Đất | 342 | 333 | 97.4 |
| Thôn Thượng Đồng | 359 | 256 | 71.3 |

Hội đồng nhân dân xã phối hợp thực hiện mô hình “Dân vận khéo” theo đúng quy định. Hưởng ứng chủ trương của Đảng ủy, Công an xã phát động phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”, đã có 753 lượt người dân tham gia (xem [kế hoạch](ke-hoach.md)).

## Nhiệm vụ 6 tháng cuối năm

- Tiếp tục đẩy mạnh dịch vụ công trực tuyến toàn trình;
- Tuyên truyền, phổ biến pháp luật về đất đai đến từng thôn, xóm;
- Chuẩn bị kế hoạch tuyển chọn, gọi công dân nhập ngũ năm 2025.

Trạm Y tế xã tổng kết đợt khám sức khỏe miễn phí cho người cao tuổi, góp phần giữ vững an ninh chính trị, trật tự an toàn xã hội trên địa bàn.
`)

type benchResolver struct{}

func (benchResolver) Resolve(dest string) (string, bool) { return "/tin-tuc/ke-hoach/", true }

// BenchmarkConvert measures one post's conversion with congxa's extensions
// (heading IDs, link rewriting, table wrapping, the summary), beside
// goldmark with GFM alone: the difference is what the extensions and
// convertParagraphs cost or save.
func BenchmarkConvert(b *testing.B) {
	congxa := func(c *Converter) func(b *testing.B) {
		return func(b *testing.B) {
			b.SetBytes(int64(len(benchDoc)))
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.Convert(benchDoc, benchResolver{})
				if err != nil || len(res.Links) != 1 {
					b.Fatalf("Convert: %v, %d links", err, len(res.Links))
				}
			}
		}
	}
	b.Run("congxa", congxa(New()))
	// Without convertParagraphs: what it saves.
	goldmarkOnly := New()
	goldmarkOnly.goldmarkOnly = true
	b.Run("congxa-goldmark-only", congxa(goldmarkOnly))
	b.Run("goldmark-gfm", func(b *testing.B) {
		md := goldmark.New(goldmark.WithExtensions(extension.GFM))
		var buf bytes.Buffer
		b.SetBytes(int64(len(benchDoc)))
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := md.Convert(benchDoc, &buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
