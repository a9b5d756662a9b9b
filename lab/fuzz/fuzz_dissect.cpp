// libFuzzer target for the dissector. The first two input bytes pick the link type, the rest is
// the frame; each input is dissected twice through one Dissector (fields on and off) so the
// conversation tracker sees a second packet of the same stream, and every field is turned into
// text, as `osilab show --json` would.
#include <cstddef>
#include <cstdint>

#include "lab/packet/dissector.h"
#include "lab/packet/field_text.h"
#include "lab/packet/osi_view.h"

namespace {
constexpr uint32_t kLinkTypes[] = {
    osilab::packet::linktype::kEthernet, osilab::packet::linktype::kNull,
    osilab::packet::linktype::kLoop,     osilab::packet::linktype::kRaw,
    osilab::packet::linktype::kLinuxSll, osilab::packet::linktype::kLinuxSll2,
    osilab::packet::linktype::kIpv4,     osilab::packet::linktype::kIpv6,
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace osilab::packet;
    if (size < 1) return 0;
    PacketView view;
    view.link_type = kLinkTypes[data[0] % (sizeof kLinkTypes / sizeof kLinkTypes[0])];
    view.data = data + 1;
    view.cap_len = static_cast<uint32_t>(size - 1);
    view.orig_len = view.cap_len + (data[0] >> 7) * 100;  // sometimes "cut by snaplen"
    view.number = 1;

    Dissector dissector;
    Dissection d;
    for (bool fields : {true, false}) {
        dissector.dissect(view, DissectOptions{fields}, d);
        for (const Field& f : d.fields) {
            (void)fieldValue(d, f, view.data, view.cap_len);
            (void)fieldShow(d, f, view.data, view.cap_len);
        }
        (void)osiView(view, d, &dissector.conversations());
        ++view.number;
    }
    return 0;
}
