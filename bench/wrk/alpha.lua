-- wrk script for `make bench`: one request kind per run (BENCH_TARGET), random users.
--
--   BENCH_TARGET  imprint | profile | followers | search | global_feed | personal_feed | user_feed |
--                 create_post | mix (60 % personal feed, 30 % user feed, 10 % create post)
--   BENCH_TOKENS  file of "username token" lines (bench/tools/seed.py tokens)
--   BENCH_RATE    optional: requests per second per connection. Each connection waits an
--                 exponentially distributed time (mean 1/rate) before its next request, as
--                 DeathStarBench's `wrk2 -D exp` does; unset = closed loop, as fast as possible.
local target = os.getenv("BENCH_TARGET") or "imprint"
local tokens_file = os.getenv("BENCH_TOKENS")
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local users = {}
local tokens = {}
local counter = 0

function init(args)
    math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
    if tokens_file then
        for line in io.lines(tokens_file) do
            local name, token = line:match("^(%S+) (%S+)$")
            if name then
                users[#users + 1] = name
                tokens[#tokens + 1] = token
            end
        end
    end
end

local function random_user()
    local i = math.random(#users)
    return users[i], tokens[i]
end

local function get(path, token)
    local headers = {}
    if token then headers["Authorization"] = "Bearer " .. token end
    return wrk.format("GET", path, headers)
end

local function create_post(token)
    counter = counter + 1
    local body = '{"content":"bench post ' .. counter .. ' #bench' .. (counter % 50) .. '"}'
    return wrk.format("POST", "/api/posts",
        { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

local kinds = {
    imprint = function() return get("/api/imprint") end,
    profile = function()
        local _, token = random_user()
        return get("/api/users/" .. random_user(), token)
    end,
    followers = function()
        local _, token = random_user()
        return get("/api/subscriptions/" .. random_user() .. "?type=followers", token)
    end,
    search = function()
        local _, token = random_user()
        return get("/api/users?username=user" .. math.random(0, 99), token)
    end,
    global_feed = function()
        local _, token = random_user()
        return get("/api/feed?feedType=global&limit=10", token)
    end,
    personal_feed = function()
        local _, token = random_user()
        return get("/api/feed?limit=10", token)
    end,
    user_feed = function()
        local _, token = random_user()
        return get("/api/users/" .. random_user() .. "/feed?offset=0&limit=10", token)
    end,
    create_post = function()
        local _, token = random_user()
        return create_post(token)
    end,
}

kinds.mix = function()
    local r = math.random(100)
    if r <= 60 then return kinds.personal_feed() end
    if r <= 90 then return kinds.user_feed() end
    return kinds.create_post()
end

local make = kinds[target] or error("unknown BENCH_TARGET " .. target)

function request()
    return make()
end

if rate then
    function delay()
        -- exponential inter-arrival time, in milliseconds
        return -math.log(1 - math.random()) * 1000 / rate
    end
end

function done(summary, latency, requests)
    -- One machine-readable line for bench.sh (latencies in microseconds).
    local errors = summary.errors
    io.write(string.format(
        "BENCH_RESULT requests=%d duration_us=%d p50=%d p90=%d p99=%d max=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency.max, errors.connect, errors.read, errors.write, errors.status,
        errors.timeout))
end
