#include <vox/core/ids.hpp>

#include <sys/random.h>

#include <stdexcept>
#include <vector>

namespace vox {

std::string random_base62(std::size_t length) {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string out;
    out.reserve(length);
    std::vector<unsigned char> bytes(length * 2);
    while (out.size() < length) {
        std::size_t filled = 0;
        while (filled < bytes.size()) {
            ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
            if (got < 0) throw std::runtime_error("getrandom failed");
            filled += static_cast<std::size_t>(got);
        }
        // Rejection sampling keeps every character equally likely.
        for (unsigned char byte : bytes) {
            if (byte >= 248) continue;  // 248 = 62 * 4
            out += kAlphabet[byte % 62];
            if (out.size() == length) break;
        }
    }
    return out;
}

std::string new_id(std::string_view prefix) {
    std::string id(prefix);
    id += '_';
    id += random_base62(24);
    return id;
}

}  // namespace vox

#include <vox/core/id_format.hpp>

namespace vox {

bool is_id_of(std::string_view prefix, std::string_view id) {
    if (id.size() <= prefix.size() + 1 || id.size() > prefix.size() + 1 + 64) return false;
    if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
    for (char c : id.substr(prefix.size() + 1))
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    return true;
}

}  // namespace vox
