#include <vox/core/time.hpp>

#include <cstdio>
#include <ctime>

namespace vox::time {

std::string to_iso8601(std::chrono::system_clock::time_point when) {
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    if (millis % 1000 < 0) --seconds;
    int remainder = static_cast<int>(((millis % 1000) + 1000) % 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, remainder);
    return buffer;
}

std::string now_iso8601() { return to_iso8601(std::chrono::system_clock::now()); }

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::string s(text);
    int consumed = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3 || consumed != 10) return std::nullopt;
    std::size_t pos = 10;
    long long millis = 0;
    int offset_minutes = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
        if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d:%2d%n", &hour, &minute, &second, &consumed) != 3 || consumed != 8)
            return std::nullopt;
        pos += 9;
        if (pos < s.size() && s[pos] == '.') {
            ++pos;
            int digits = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (digits < 3) millis = millis * 10 + (s[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits == 0) return std::nullopt;
            for (int d = digits; d < 3; ++d) millis *= 10;
        }
        if (pos < s.size()) {
            if (s[pos] == 'Z' || s[pos] == 'z') {
                ++pos;
            } else if (s[pos] == '+' || s[pos] == '-') {
                int oh = 0, om = 0;
                if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d%n", &oh, &om, &consumed) != 2 || consumed != 5)
                    return std::nullopt;
                offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
                pos += 6;
            }
        }
        if (pos != s.size()) return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    std::time_t t = timegm(&tm);
    // timegm normalises 31 February into March: reject dates that moved.
    std::tm check{};
    gmtime_r(&t, &check);
    if (check.tm_mday != day || check.tm_mon != month - 1) return std::nullopt;
    auto when = std::chrono::system_clock::from_time_t(t) + std::chrono::milliseconds(millis) -
                std::chrono::minutes(offset_minutes);
    return when;
}

}  // namespace vox::time
