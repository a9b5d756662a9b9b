// Payload nobody claimed: the bytes as they are, and as text when they are text.
#include "lab/packet/dissect_context.h"
#include "lab/packet/payload_encoding.h"

namespace osilab::packet {
namespace {

const FieldInfo kData{"data.data", "Data", "数据",
                      "The payload bytes exactly as they travelled; no protocol OSI Lab knows "
                      "claimed them, so they belong to the application",
                      "原样传输的负载字节;OSI Lab 不认识承载它们的协议,所以它们归应用程序自己解释"};
const FieldInfo kText{"data.text", "Text", "文本",
                      "The same bytes read as UTF-8 text (what the program wrote, e.g. with "
                      "send()); Chinese characters take 3 bytes each",
                      "把同样的字节按 UTF-8 解读得到的文本(即程序用 send() 等写出的内容);"
                      "每个汉字占 3 个字节"};
const FieldInfo kLen{"data.len", "Length", "长度", "How many payload bytes this packet carries",
                     "这个包携带的负载字节数"};

}  // namespace

void dissectData(DissectContext& ctx, uint32_t offset, uint32_t end) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    if (offset >= end) return;
    ctx.beginLayer(OsiLayer::Application, Protocol::Data, offset, end);
    if (!ctx.wantFields()) return;
    FieldSink fs = ctx.fieldSink();
    fs.addBytes(kData, offset, end);
    if (isText(classifyPayload(ctx.bytes.data() + offset, end - offset)))
        fs.addFrameText(kText, offset, end);
    fs.addUint(kLen, offset, offset, end - offset);
}

}  // namespace osilab::packet
