--[[
  saveLastReport: saves the report and announces it in one step.

  KEYS[1]  breakwater:last_resume_report
  ARGV[1]  the report, JSON
  ARGV[2]  origin (the store instance's tag)
  ARGV[3]  the pub/sub channel for queue changes
  ARGV[4]  the resume's id

  Reply: 1
  Publishes origin, a newline and { kind = 'resume-completed', resume_id }.
]]
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[2] .. '\n' .. cjson.encode({ kind = 'resume-completed', resume_id = ARGV[4] }))
return 1
