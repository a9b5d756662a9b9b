#include "lab/lesson/loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lab/lesson/json_node.h"
#include "lab/lesson/lesson_builder.h"
#include "lab/lesson/suggest.h"

namespace osilab::lesson {
namespace {

using detail::childPath;
using detail::Node;
using detail::Refusal;

// Line and column (in characters, as editors count them) of a byte offset.
std::string lineAndColumn(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '\n') {
            ++line;
            column = 1;
        } else if ((byte & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's message without its own prefix and (byte-based) position.
std::string syntaxDetail(const std::string& what) {
    for (const char* marker : {"column ", "parse error: "}) {
        size_t at = what.find(marker);
        if (at == std::string::npos) continue;
        at = what.find(": ", at);
        if (at != std::string::npos) return what.substr(at + 2);
    }
    return what;
}

// nlohmann keeps the last of two equal keys without a word; a teacher who writes "say" twice
// should hear about it. The parser's callback lets us follow the path while it reads.
class DuplicateKeyGuard {
public:
    bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        switch (event) {
            case Event::object_start: frames_.push_back(Frame{false, 0, "", {}}); break;
            case Event::array_start: frames_.push_back(Frame{true, 0, "", {}}); break;
            case Event::key: {
                Frame& top = frames_.back();
                top.key = parsed.get<std::string>();
                if (!top.keys.insert(top.key).second && !duplicate_) duplicate_ = pathOfTop();
                break;
            }
            case Event::value:
                if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
                break;
            case Event::object_end:
            case Event::array_end:
                frames_.pop_back();
                if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
                break;
        }
        return true;
    }

    // The JSON path of the first key written twice in one object, if any.
    const std::optional<std::string>& duplicate() const { return duplicate_; }

private:
    struct Frame {
        bool array;
        size_t index;
        std::string key;
        std::set<std::string> keys;
    };

    std::string pathOfTop() const {
        std::string path;
        for (const Frame& frame : frames_) {
            path = frame.array ? childPath(path, frame.index) : childPath(path, frame.key);
        }
        return path;
    }

    std::vector<Frame> frames_;
    std::optional<std::string> duplicate_;
};

bool validId(const std::string& id) {
    if (id.empty() || id.size() > 48 || id.front() == '-' || id.back() == '-') return false;
    for (size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && id[i - 1] != '-');
        if (!ok) return false;
    }
    return true;
}

bool validActorName(const std::string& name) {
    if (name.empty() || name.size() > 24 || name.front() < 'a' || name.front() > 'z') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

void readActors(const Node& node, Lesson& lesson) {
    node.requireArray("the actors: programs taking part, each {name, role}");
    if (node.size() == 0 || node.size() > 8) {
        node.refuse("a lesson has 1 to 8 actors, not " + std::to_string(node.size()));
    }
    for (size_t i = 0; i < node.size(); ++i) {
        const Node actor = node[i];
        actor.allowOnly({"name", "role"}, "an actor");
        const Node name = actor.at("name");
        Actor out;
        out.name = name.string();
        if (!validActorName(out.name)) {
            name.refuse("'" + out.name +
                        "' is not a usable actor name: lower-case letters, digits "
                        "and '_', starting with a letter, at most 24");
        }
        for (size_t j = 0; j < lesson.actors.size(); ++j) {
            if (lesson.actors[j].name == out.name) {
                name.refuse("actor '" + out.name + "' is already defined at /actors/" +
                            std::to_string(j));
            }
        }
        out.role = detail::readText(actor.at("role"), "role");
        lesson.actors.push_back(std::move(out));
    }
}

void readHostBrowser(const Node& node, Lesson& lesson) {
    node.allowOnly({"actor", "url", "say"}, "host_browser");
    HostBrowser browser;
    const Node actor = node.at("actor");
    const std::string actor_name = actor.nonEmptyString();
    for (size_t i = 0; i < lesson.actors.size(); ++i) {
        if (lesson.actors[i].name == actor_name) browser.actor = static_cast<int>(i);
    }
    if (browser.actor < 0) actor.refuse("unknown actor '" + actor_name + "'");

    const Node url = node.at("url");
    browser.url = url.nonEmptyString();
    constexpr std::string_view scheme = "http://";
    if (browser.url.rfind(scheme, 0) != 0) {
        url.refuse("the url must start with http:// (a lesson's server speaks plain HTTP)");
    }
    const std::string rest = browser.url.substr(scheme.size());
    const size_t slash = rest.find('/');
    auto address = parseAddress(rest.substr(0, slash));
    if (!address) url.refuse(address.error().message);
    if (address.value().family == Family::Unix) {
        url.refuse("the url needs an address and port: http://127.0.0.1:8080/");
    }
    browser.addr = std::move(address).value();
    browser.say = detail::readText(node.at("say"), "say");

    // The browser must find a listening socket of another actor at that address.
    bool listened = false;
    for (const Step& step : lesson.steps) {
        if (step.call != Call::Bind || step.expect.error) continue;
        const Address& bound = std::get<BindArgs>(step.args).addr;
        const SocketDecl& decl = lesson.sockets[static_cast<size_t>(step.socket)];
        if (bound.family != browser.addr.family || bound.ip != browser.addr.ip ||
            bound.port != browser.addr.port || decl.type != SocketType::Stream ||
            decl.actor == browser.actor) {
            continue;
        }
        for (const Step& later : lesson.steps) {
            if (later.call == Call::Listen && later.socket == step.socket) listened = true;
        }
    }
    if (!listened) {
        url.refuse("no actor other than '" + actor_name + "' listens on " + browser.addr.text +
                   " in this lesson, so a browser opening " + browser.url + " would find nobody");
    }
    lesson.host_browser = std::move(browser);
}

void readLesson(const nlohmann::json& document, std::string_view name, Lesson& lesson) {
    const Node root(document, "");
    root.allowOnly(
        {"$schema", "id", "order", "title", "summary", "actors", "host_browser", "steps"},
        "the lesson");
    if (auto schema = root.find("$schema")) schema->string();

    const Node id = root.at("id");
    lesson.id = id.string();
    if (!validId(lesson.id)) {
        id.refuse("'" + lesson.id +
                  "' is not a usable id: lower-case letters and digits in "
                  "words joined by '-' (kebab-case), at most 48, e.g. \"tcp-handshake\"");
    }
    const std::string file = std::filesystem::path(std::string(name)).filename().string();
    constexpr std::string_view extension = ".json";
    if (file.size() > extension.size() &&
        file.compare(file.size() - extension.size(), extension.size(), extension) == 0) {
        const std::string stem = file.substr(0, file.size() - extension.size());
        if (stem != lesson.id) {
            id.refuse("the id '" + lesson.id + "' differs from the file name '" + file +
                      "': they must be equal, so that `osilab run " + stem + "` finds the lesson");
        }
    }
    lesson.order = static_cast<int>(root.at("order").integer(1, 9999));
    lesson.title = detail::readText(root.at("title"), "title");
    lesson.summary = detail::readText(root.at("summary"), "summary");
    readActors(root.at("actors"), lesson);
    detail::LessonBuilder(lesson).readSteps(root.at("steps"));
    if (auto browser = root.find("host_browser")) readHostBrowser(*browser, lesson);
}

std::string describe(std::string_view name, const std::string& path, const std::string& problem) {
    std::string message(name);
    message += ": ";
    if (!path.empty()) message += path + ": ";
    return message + problem;
}

}  // namespace

Result<Lesson> loadLessonText(std::string_view text, std::string_view name) {
    DuplicateKeyGuard guard;
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(
            text.begin(), text.end(),
            [&guard](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                return guard(depth, event, parsed);
            });
    } catch (const nlohmann::json::parse_error& error) {
        const size_t offset = error.byte > 0 ? error.byte - 1 : 0;
        return Error{std::string(name) + ": " + lineAndColumn(text, offset) +
                     ": JSON syntax error: " + syntaxDetail(error.what())};
    }
    if (guard.duplicate()) {
        return Error{describe(name, *guard.duplicate(),
                              "this field appears twice in the same object; only the last one "
                              "would be kept: remove one")};
    }
    Lesson lesson;
    lesson.source = std::string(name);
    try {
        readLesson(document, name, lesson);
    } catch (const Refusal& refusal) {
        return Error{describe(name, refusal.path, refusal.problem)};
    }
    return lesson;
}

Result<Lesson> loadLesson(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error{path.string() + ": cannot read the lesson file: " + std::strerror(errno)};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return loadLessonText(text.str(), path.string());
}

Result<LessonList> listLessons(const std::filesystem::path& dir) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::directory_iterator(dir, error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
        const std::string file = it->path().filename().string();
        const bool json = file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0;
        const bool schema =
            file.size() > 12 && file.compare(file.size() - 12, 12, ".schema.json") == 0;
        if (json && !schema && it->is_regular_file()) files.push_back(it->path());
    }
    if (error) {
        return Error{"cannot read the lessons folder " + dir.string() + ": " + error.message()};
    }
    std::sort(files.begin(), files.end());
    LessonList list;
    for (const auto& file : files) {
        auto lesson = loadLesson(file);
        if (!lesson) {
            list.problems.push_back(lesson.error());
            continue;
        }
        const Lesson& l = lesson.value();
        list.lessons.push_back(LessonInfo{l.id, l.order, l.title, l.summary, file, l.steps.size()});
    }
    std::sort(list.lessons.begin(), list.lessons.end(),
              [](const LessonInfo& a, const LessonInfo& b) {
                  return a.order != b.order ? a.order < b.order : a.id < b.id;
              });
    return list;
}

Result<Lesson> findLesson(const std::filesystem::path& dir, std::string_view id_or_path) {
    const std::string wanted(id_or_path);
    const bool is_path = wanted.find('/') != std::string::npos ||
                         (wanted.size() > 5 && wanted.compare(wanted.size() - 5, 5, ".json") == 0);
    if (is_path) return loadLesson(wanted);
    const std::filesystem::path file = dir / (wanted + ".json");
    std::error_code error;
    if (std::filesystem::exists(file, error)) return loadLesson(file);
    std::vector<std::string> ids;
    for (auto it = std::filesystem::directory_iterator(dir, error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0 &&
            name.find(".schema.") == std::string::npos) {
            ids.push_back(name.substr(0, name.size() - 5));
        }
    }
    const std::vector<std::string_view> views(ids.begin(), ids.end());
    return Error{"no lesson '" + wanted + "' in " + dir.string() + didYouMean(wanted, views) +
                 "; `osilab list` shows the lessons"};
}

}  // namespace osilab::lesson
