-- wrk script: request the paths listed in $PATHS_FILE in turn, so a run covers
-- many different pages instead of one hot URL.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  paths[#paths + 1] = line
end
local n = math.random(#paths)
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n], { ["Accept-Encoding"] = "gzip, br" })
end
