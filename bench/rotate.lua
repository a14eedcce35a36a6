-- wrk script: request the paths listed in $PATHS_FILE in turn, so a run covers
-- many different pages instead of one hot URL. $COOKIE, if set, is sent as a
-- Cookie header (which makes the shop skip its page cache).
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  paths[#paths + 1] = line
end
local headers = { ["Accept-Encoding"] = "gzip, br" }
local cookie = os.getenv("COOKIE")
if cookie and cookie ~= "" then
  headers["Cookie"] = cookie
end
local n = math.random(#paths)
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n], headers)
end
