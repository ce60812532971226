module example.com/notifier

go 1.21

require (
	github.com/jackc/pgx/v5 v5.5.0
	github.com/lib/pq v1.10.9 // indirect
)

require github.com/redis/go-redis/v9 v9.3.0
