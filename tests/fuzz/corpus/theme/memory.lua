local t = {}
while true do pcall(function() t[#t + 1] = string.rep("y", 1e5) end) end