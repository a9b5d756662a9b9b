// HTTP/1.x (RFC 9112): the request or status line, the header lines and the body, as far as
// they are in this one segment. OSI Lab does not join TCP segments: a message split over
// several segments shows its first part here (tshark would reassemble it and show the whole
// message on the last segment instead).
#include <array>
#include <cstring>
#include <string>
#include <string_view>

#include "lab/packet/dissect_context.h"
#include "lab/packet/payload_encoding.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

const FieldInfo kRequestLine{"http.osilab.request_line", "Request line", "请求行",
                             "The first line of a request: method, target and version",
                             "请求的第一行:方法、目标和版本"};
const FieldInfo kStatusLine{"http.osilab.status_line", "Status line", "状态行",
                            "The first line of a response: version, status code and reason",
                            "响应的第一行:版本、状态码和原因短语"};
const FieldInfo kMethod{"http.request.method", "Request Method", "请求方法",
                        "What the client wants done: GET fetches, POST sends data…",
                        "客户端想做什么:GET 获取,POST 提交数据……"};
const FieldInfo kUri{"http.request.uri", "Request URI", "请求 URI",
                     "Which resource on the server the request is about",
                     "请求针对服务器上的哪个资源"};
const FieldInfo kReqVersion{"http.request.version", "Request Version", "请求版本",
                            "The HTTP version the client speaks", "客户端使用的 HTTP 版本"};
const FieldInfo kRespVersion{"http.response.version", "Response Version", "响应版本",
                             "The HTTP version the server speaks", "服务器使用的 HTTP 版本"};
const FieldInfo kCode{"http.response.code", "Status Code", "状态码",
                      "Three digits saying how it went: 2xx success, 3xx redirect, 4xx client "
                      "error, 5xx server error",
                      "三位数字表示结果:2xx 成功,3xx 重定向,4xx 客户端错误,5xx 服务器错误"};
const FieldInfo kPhrase{"http.response.phrase", "Response Phrase", "原因短语",
                        "The status in words, for people (programs read the code)",
                        "用文字表示的状态,给人看的(程序看状态码)"};
const FieldInfo kRequestHeader{"http.request.line", "Request header line", "请求首部行",
                               "One header line of the request: a name, a colon and a value",
                               "请求中的一行首部:名称、冒号和值"};
const FieldInfo kResponseHeader{"http.response.line", "Response header line", "响应首部行",
                                "One header line of the response: a name, a colon and a value",
                                "响应中的一行首部:名称、冒号和值"};
const FieldInfo kContentLength{"http.content_length", "Content length", "内容长度",
                               "The body's size as a number", "正文大小(数值)"};
const FieldInfo kFileData{"http.file_data", "File Data", "文件数据",
                          "The body: the page, file or form data itself",
                          "正文:网页、文件或表单数据本身"};

struct KnownHeader {
    std::string_view name;  // lower case
    FieldInfo info;
};

const KnownHeader kHeaders[] = {
    {"host",
     {"http.host", "Host", "主机",
      "Which site the client wants: one server address can host many names",
      "客户端要访问哪个网站:一个服务器地址可以承载多个域名"}},
    {"user-agent",
     {"http.user_agent", "User-Agent", "用户代理", "The client program and its version",
      "客户端程序及其版本"}},
    {"content-type",
     {"http.content_type", "Content-Type", "内容类型",
      "What the body is (text/html, image/png…) and its character set",
      "正文是什么(text/html、image/png……)以及字符集"}},
    {"content-length",
     {"http.content_length_header", "Content-Length", "内容长度",
      "How many bytes of body follow the empty line", "空行之后还有多少字节正文"}},
    {"server",
     {"http.server", "Server", "服务器", "The server program and its version",
      "服务器程序及其版本"}},
    {"accept",
     {"http.accept", "Accept", "可接受类型", "Which content types the client can use",
      "客户端能处理哪些内容类型"}},
    {"accept-encoding",
     {"http.accept_encoding", "Accept Encoding", "可接受编码",
      "Which compressions the client understands (gzip…)", "客户端能理解哪些压缩方式(gzip……)"}},
    {"accept-language",
     {"http.accept_language", "Accept-Language", "可接受语言", "Languages the client prefers",
      "客户端偏好的语言"}},
    {"connection",
     {"http.connection", "Connection", "连接",
      "Whether the TCP connection stays open after this message (keep-alive, "
      "close)",
      "这条消息之后 TCP 连接是否保持打开(keep-alive、close)"}},
    {"date", {"http.date", "Date", "日期", "When the message was made", "消息生成的时间"}},
    {"last-modified",
     {"http.last_modified", "Last-Modified", "最后修改时间", "When the resource last changed",
      "资源最后一次修改的时间"}},
    {"cache-control",
     {"http.cache_control", "Cache-Control", "缓存控制",
      "Whether and how long the message may be cached", "消息能否缓存以及缓存多久"}},
    {"location",
     {"http.location", "Location", "位置", "Where to go instead (with a 3xx status)",
      "应改去的地址(配合 3xx 状态码)"}},
    {"referer",
     {"http.referer", "Referer", "来源页面", "The page that linked here", "链接到这里的页面"}},
    {"cookie",
     {"http.cookie", "Cookie", "Cookie", "State the server asked the client to keep",
      "服务器让客户端保存的状态"}},
    {"set-cookie",
     {"http.set_cookie", "Set-Cookie", "设置 Cookie",
      "The server asks the client to store a cookie", "服务器要求客户端保存一个 cookie"}},
    {"transfer-encoding",
     {"http.transfer_encoding", "Transfer-Encoding", "传输编码",
      "How the body is framed (chunked: in pieces with sizes)",
      "正文如何分帧(chunked:分块,每块带长度)"}},
    {"content-encoding",
     {"http.content_encoding", "Content-Encoding", "内容编码", "How the body is compressed (gzip…)",
      "正文的压缩方式(gzip……)"}},
    {"authorization",
     {"http.authorization", "Authorization", "授权", "Credentials for the server",
      "给服务器的身份凭据"}},
    {"upgrade",
     {"http.upgrade", "Upgrade", "升级", "A request to switch protocol (websocket…)",
      "请求切换协议(websocket……)"}},
};

constexpr std::string_view kMethods[] = {"GET ",     "POST ",  "HEAD ",    "PUT ",  "DELETE ",
                                         "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};

bool equalsLower(std::string_view text, std::string_view lower) {
    if (text.size() != lower.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i]) return false;
    }
    return true;
}

// kHeaders by name length, so a header line compares its name with the two or three known
// names of its length instead of testing all twenty (a request has half a dozen lines).
constexpr size_t kMaxHeaderName = 17;  // "transfer-encoding"
using HeaderBuckets = std::array<std::array<const KnownHeader*, 6>, kMaxHeaderName + 1>;
const HeaderBuckets kHeadersByLength = [] {
    HeaderBuckets t{};
    for (const KnownHeader& h : kHeaders) {
        auto& bucket = t[h.name.size()];  // names are at most kMaxHeaderName long
        size_t i = 0;
        while (bucket[i]) ++i;  // at most three names share a length (room for six)
        bucket[i] = &h;
    }
    return t;
}();

const KnownHeader* findHeader(std::string_view name) {
    if (name.size() > kMaxHeaderName) return nullptr;
    for (const KnownHeader* h : kHeadersByLength[name.size()]) {
        if (!h) break;
        if (equalsLower(name, h->name)) return h;
    }
    return nullptr;
}

// Content-Type and Content-Length only: what the summary path needs.
const KnownHeader* findFramingHeader(std::string_view name) {
    if (name.size() < 12 || (name[0] | 0x20) != 'c') return nullptr;
    if (equalsLower(name, kHeaders[2].name)) return &kHeaders[2];
    if (equalsLower(name, kHeaders[3].name)) return &kHeaders[3];
    return nullptr;
}

struct Line {
    uint32_t begin, content_end, end;  // content_end excludes "\r\n" / "\n"; end includes it
    bool complete;                     // ended by a line feed inside the segment
};

Line nextLine(const ByteReader& b, uint32_t p, uint32_t end) {
    Line line{p, end, end, false};
    if (p >= end || end > b.size()) return line;
    const void* lf = std::memchr(b.data() + p, '\n', end - p);
    if (!lf) return line;
    const uint32_t q = static_cast<uint32_t>(static_cast<const uint8_t*>(lf) - b.data());
    line.end = q + 1;
    line.content_end = q > p && b.u8(q - 1) == '\r' ? q - 1 : q;
    line.complete = true;
    return line;
}

uint32_t findByte(const ByteReader& b, uint32_t p, uint32_t end, uint8_t c) {
    if (p >= end || end > b.size()) return end;
    const void* at = std::memchr(b.data() + p, c, end - p);
    return at ? static_cast<uint32_t>(static_cast<const uint8_t*>(at) - b.data()) : end;
}

// " (text/html)" after a response's first line, as tshark's body dissectors add it.
void appendMediaNote(std::string& info, std::string_view content_type) {
    size_t semi = content_type.find(';');
    std::string_view type = content_type.substr(0, semi);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    if (type.empty()) return;
    char lower[128];
    size_t n = type.size() < sizeof lower ? type.size() : sizeof lower;
    for (size_t i = 0; i < n; ++i) {
        char c = type[i];
        lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    std::string_view t(lower, n);
    if (t == "text/xml" || t == "application/xml" ||
        (t.size() > 4 && t.substr(t.size() - 4) == "+xml") || t.substr(0, 10) == "multipart/" ||
        t == "application/octet-stream")
        return;  // tshark's XML, multipart and raw-data dissectors add nothing to Info
    if (t == "application/json") {
        info.append(", JavaScript Object Notation (application/json)");
        return;
    }
    info.append(" (");
    info.append(t);
    info.push_back(')');
}

}  // namespace

bool looksLikeHttp(const ByteReader& bytes, uint32_t offset, uint32_t end) {
    std::string_view start = bytes.text(offset, end < offset + 8 ? end : offset + 8);
    if (start.size() >= 6 && start.substr(0, 5) == "HTTP/" && start[5] >= '0' && start[5] <= '9')
        return true;
    for (std::string_view m : kMethods)
        if (start.size() >= m.size() && start.substr(0, m.size()) == m) return true;
    return false;
}

void dissectHttp(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    if (offset >= end) return;
    ctx.beginLayer(OsiLayer::Application, Protocol::Http, offset, end);
    const bool response = b.text(offset, end).substr(0, 5) == "HTTP/";

    // ---- the first line ----------------------------------------------------------------------
    const Line first = nextLine(b, offset, end);
    ctx.addFrameText(response ? kStatusLine : kRequestLine, first.begin, first.end);
    const uint32_t sp1 = findByte(b, first.begin, first.content_end, ' ');
    const uint32_t sp2 =
        sp1 < first.content_end ? findByte(b, sp1 + 1, first.content_end, ' ') : first.content_end;
    if (response) {
        ctx.addFrameText(kRespVersion, first.begin, sp1, 1);
        if (sp1 < first.content_end) {
            const uint32_t code_begin = sp1 + 1;
            uint32_t code = 0, digits = 0;
            for (uint32_t q = code_begin; q < sp2 && digits < 4; ++q, ++digits) {
                uint8_t c = b.u8(q);
                if (c < '0' || c > '9') {
                    digits = 0;
                    break;
                }
                code = code * 10 + (c - '0');
            }
            if (digits == 3) {
                ctx.addUint(kCode, code_begin, sp2, code, 1);
            } else {
                ctx.problem(ProblemKind::Malformed,
                            "the status code after the version is not a 3-digit number");
            }
            if (sp2 < first.content_end) ctx.addFrameText(kPhrase, sp2 + 1, first.content_end, 1);
        }
    } else {
        ctx.addFrameText(kMethod, first.begin, sp1, 1);
        if (sp1 < first.content_end) ctx.addFrameText(kUri, sp1 + 1, sp2, 1);
        if (sp2 + 1 < first.content_end)
            ctx.addFrameText(kReqVersion, sp2 + 1, first.content_end, 1);
    }
    const bool summary = ctx.ownsSummary();
    if (summary) {
        ctx.out.summary.protocol = Protocol::Http;
        std::string& info = ctx.out.summary.info;
        info.clear();
        // tshark's columns hold at most 4095 characters.
        const uint32_t shown =
            first.content_end - first.begin < 4094 ? first.content_end : first.begin + 4094;
        info.append(b.text(first.begin, shown));
        info.push_back(' ');
    }
    if (!first.complete) {
        ctx.problem(ProblemKind::Truncated,
                    "the first line continues in the next TCP segment (OSI Lab shows each "
                    "segment on its own)");
        return;
    }

    // ---- header lines, up to the empty line -------------------------------------------------
    std::string_view content_type;
    uint64_t content_length = 0;
    bool has_length = false, headers_done = false;
    uint32_t p = first.end;
    while (p < end) {  // every line moves p forward by at least one byte
        const Line line = nextLine(b, p, end);
        if (line.content_end == line.begin && line.complete) {
            p = line.end;
            headers_done = true;
            break;
        }
        const uint32_t colon = findByte(b, line.begin, line.content_end, ':');
        // The summary path looks only at the headers that change Info or the problems.
        const std::string_view name = b.text(line.begin, colon);
        const KnownHeader* known = nullptr;
        if (colon < line.content_end)
            known = ctx.wantFields() ? findHeader(name) : findFramingHeader(name);
        if (!known && !ctx.wantFields()) {
            p = line.end;
            if (!line.complete) break;
            continue;
        }
        uint32_t value = colon + 1;
        while (value < line.content_end && (b.u8(value) == ' ' || b.u8(value) == '\t')) ++value;
        std::string_view value_text =
            colon < line.content_end ? b.text(value, line.content_end) : std::string_view{};
        if (known) {
            if (ctx.wantFields())
                ctx.addOwnedText(known->info, line.begin, line.end, value_text);
            if (known->name == "content-length") {
                uint64_t n = 0;
                bool ok = !value_text.empty() && value_text.size() <= 18;
                for (char c : value_text) {
                    if (c < '0' || c > '9') {
                        ok = false;
                        break;
                    }
                    n = n * 10 + static_cast<uint64_t>(c - '0');
                }
                if (ok) {
                    ctx.addUint(kContentLength, line.begin, line.end, n, 1);
                    content_length = n;
                    has_length = true;
                }
            } else if (known->name == "content-type") {
                content_type = value_text;
            }
        }
        ctx.addFrameText(response ? kResponseHeader : kRequestHeader, line.begin, line.end);
        p = line.end;
        if (!line.complete) break;
    }
    if (!headers_done) {
        ctx.problem(ProblemKind::Truncated,
                    "the header lines continue in the next TCP segment (OSI Lab shows each "
                    "segment on its own)");
        return;
    }

    // ---- the body ---------------------------------------------------------------------------
    const uint32_t body_len = end - p;
    if (body_len > 0 && ctx.wantFields() && isText(classifyPayload(b.data() + p, body_len)))
        ctx.addFrameText(kFileData, p, end);
    if (has_length && content_length > body_len) {
        std::string msg = "Content-Length says the body has ";
        appendUint(msg, content_length);
        msg.append(" bytes; ");
        appendUint(msg, body_len);
        msg.append(" are in this segment and the rest follows in later TCP segments");
        ctx.problem(ProblemKind::Unusual, std::move(msg));
    }
    if (summary && body_len > 0 && !content_type.empty())
        appendMediaNote(ctx.out.summary.info, content_type);
}

}  // namespace osilab::packet
