#include "visualizer/settings.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace osilab::viewer {

void Settings::addRecent(const std::string& path) {
    recent_files.erase(std::remove(recent_files.begin(), recent_files.end(), path),
                       recent_files.end());
    recent_files.insert(recent_files.begin(), path);
    if (recent_files.size() > kMaxRecent) recent_files.resize(kMaxRecent);
}

std::string configFolder() {
    std::string base;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && xdg[0] == '/') {
        base = xdg;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
        base = std::string(home) + "/.config";
    } else {
        return {};
    }
    ::mkdir(base.c_str(), 0700);
    const std::string folder = base + "/osilab";
    ::mkdir(folder.c_str(), 0700);
    struct stat info {};
    if (::stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return {};
    return folder;
}

Settings loadSettings(const std::string& folder) {
    Settings s;
    s.language = languageFromLocale();
    if (folder.empty()) return s;
    std::ifstream in(folder + "/settings.ini");
    std::string line;
    while (std::getline(in, line)) {
        const size_t eq = line.find('=');
        if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
        const std::string key = line.substr(0, eq);
        const std::string value = line.substr(eq + 1);
        // A damaged value keeps the default: never refuse to start over a settings file.
        try {
            if (key == "language") {
                s.language_from_file = parseLanguage(value, s.language);
            } else if (key == "text_size") {
                s.text_size =
                    std::clamp(std::stof(value), Settings::kMinTextSize, Settings::kMaxTextSize);
            } else if (key == "recent") {
                if (s.recent_files.size() < Settings::kMaxRecent) s.recent_files.push_back(value);
            } else if (key == "window") {
                std::istringstream size(value);
                int w = 0, h = 0;
                if (size >> w >> h && w >= 320 && h >= 240 && w <= 16384 && h <= 16384) {
                    s.window_width = w;
                    s.window_height = h;
                }
            } else if (key == "list_fraction") {
                s.list_fraction = std::clamp(std::stof(value), 0.1f, 0.9f);
            } else if (key == "layers_fraction") {
                s.layers_fraction = std::clamp(std::stof(value), 0.1f, 0.9f);
            } else if (key == "four_layer_model") {
                s.four_layer_model = value == "1";
            } else if (key == "browser_folder") {
                s.browser_folder = value;
            }
        } catch (...) {
        }
    }
    return s;
}

bool saveSettings(const std::string& folder, const Settings& s) {
    if (folder.empty()) return false;
    const std::string path = folder + "/settings.ini";
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        if (!out) return false;
        out << "# OSI Lab viewer settings (written by osilab-gui; safe to delete)\n";
        if (s.language_from_file) out << "language=" << languageCode(s.language) << "\n";
        out << "text_size=" << s.text_size << "\n";
        out << "window=" << s.window_width << " " << s.window_height << "\n";
        out << "list_fraction=" << s.list_fraction << "\n";
        out << "layers_fraction=" << s.layers_fraction << "\n";
        out << "four_layer_model=" << (s.four_layer_model ? 1 : 0) << "\n";
        if (!s.browser_folder.empty()) out << "browser_folder=" << s.browser_folder << "\n";
        for (const std::string& recent : s.recent_files) out << "recent=" << recent << "\n";
        if (!out.flush()) return false;
    }
    return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace osilab::viewer
