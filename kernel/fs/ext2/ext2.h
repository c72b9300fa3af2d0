/*
 * ext2.h — the on-disk format of ext2, with Linux's field names and sizes.
 *
 * A disk formatted by mke2fs is a row of blocks (1, 2 or 4 KiB) cut into block
 * groups. Byte 1024 holds the superblock; the group descriptor table follows it
 * in the next block; each group has a block bitmap, an inode bitmap and a slice of
 * the inode table:
 *
 *   | boot | super | group descriptors | block bitmap | inode bitmap | inode table | data ...
 *     ^ 1 KiB block 0 (block 1 holds the superblock when blocks are 1 KiB; with 4 KiB
 *       blocks the superblock sits at offset 1024 inside block 0)
 *
 * Every multi-byte field is little-endian, as is x86: the structures are read as is.
 */
#ifndef KERNEL_FS_EXT2_EXT2_H
#define KERNEL_FS_EXT2_EXT2_H

#include <stdint.h>

#define EXT2_SUPER_MAGIC         0xEF53
#define EXT2_SUPERBLOCK_OFFSET   1024 /* bytes from the start of the disk */
#define EXT2_SUPERBLOCK_SIZE     1024
#define EXT2_MIN_BLOCK_LOG       10 /* 1 KiB */
#define EXT2_MAX_BLOCK_LOG       12 /* 4 KiB: the largest a 4 KiB page holds */
#define EXT2_GOOD_OLD_REV        0  /* revision 0: fixed 128-byte inodes, first inode 11 */
#define EXT2_DYNAMIC_REV         1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO  11
#define EXT2_ROOT_INO            2
#define EXT2_VALID_FS            0x0001 /* s_state: cleanly unmounted */
#define EXT2_LINK_MAX            32000

/* Features a driver must understand to mount at all (s_feature_incompat). */
#define EXT2_FEATURE_INCOMPAT_FILETYPE  0x0002 /* directory entries carry the file type */
#define EXT2_FEATURE_INCOMPAT_SUPPORTED EXT2_FEATURE_INCOMPAT_FILETYPE
/* Features a driver must understand to write (s_feature_ro_compat). */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER                                                        \
    0x0001                                       /* superblock backups in groups 0,1,3^n,5^n,7^n */
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002 /* i_size_high used: files of 2 GiB and more */
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR  0x0004 /* never used by Linux */
#define EXT2_FEATURE_RO_COMPAT_SUPPORTED                                                           \
    (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE |                     \
     EXT2_FEATURE_RO_COMPAT_BTREE_DIR)

struct ext2_superblock {
    uint32_t s_inodes_count;
    uint32_t s_blocks_count;
    uint32_t s_r_blocks_count; /* reserved for the superuser */
    uint32_t s_free_blocks_count;
    uint32_t s_free_inodes_count;
    uint32_t s_first_data_block; /* 1 with 1 KiB blocks, else 0 */
    uint32_t s_log_block_size;   /* block size = 1024 << this */
    uint32_t s_log_frag_size;
    uint32_t s_blocks_per_group;
    uint32_t s_frags_per_group;
    uint32_t s_inodes_per_group;
    uint32_t s_mtime; /* last mount, seconds since 1970 */
    uint32_t s_wtime; /* last write */
    uint16_t s_mnt_count;
    int16_t s_max_mnt_count;
    uint16_t s_magic;
    uint16_t s_state;
    uint16_t s_errors;
    uint16_t s_minor_rev_level;
    uint32_t s_lastcheck;
    uint32_t s_checkinterval;
    uint32_t s_creator_os;
    uint32_t s_rev_level;
    uint16_t s_def_resuid;
    uint16_t s_def_resgid;
    /* EXT2_DYNAMIC_REV only from here */
    uint32_t s_first_ino;
    uint16_t s_inode_size;
    uint16_t s_block_group_nr;
    uint32_t s_feature_compat;
    uint32_t s_feature_incompat;
    uint32_t s_feature_ro_compat;
    uint8_t s_uuid[16];
    char s_volume_name[16];
    char s_last_mounted[64];
    uint32_t s_algorithm_usage_bitmap;
    uint8_t s_prealloc_blocks;
    uint8_t s_prealloc_dir_blocks;
    uint16_t s_reserved_gdt_blocks; /* kept free after the descriptors for online resize */
    uint8_t s_journal_uuid[16];
    uint32_t s_journal_inum;
    uint32_t s_journal_dev;
    uint32_t s_last_orphan;
    uint32_t s_hash_seed[4];
    uint8_t s_def_hash_version;
    uint8_t s_reserved_char_pad;
    uint16_t s_desc_size;
    uint32_t s_default_mount_opts;
    uint32_t s_first_meta_bg;
    uint32_t s_reserved[190];
};
_Static_assert(sizeof(struct ext2_superblock) == EXT2_SUPERBLOCK_SIZE, "superblock is 1024 bytes");
_Static_assert(__builtin_offsetof(struct ext2_superblock, s_magic) == 56, "s_magic at byte 56");
_Static_assert(__builtin_offsetof(struct ext2_superblock, s_first_ino) == 84, "s_first_ino at 84");
_Static_assert(__builtin_offsetof(struct ext2_superblock, s_reserved_gdt_blocks) == 206,
               "s_reserved_gdt_blocks at 206");

/* One per block group, in the table that starts in the block after the superblock. */
struct ext2_group_desc {
    uint32_t bg_block_bitmap; /* block numbers */
    uint32_t bg_inode_bitmap;
    uint32_t bg_inode_table;
    uint16_t bg_free_blocks_count;
    uint16_t bg_free_inodes_count;
    uint16_t bg_used_dirs_count;
    uint16_t bg_pad;
    uint32_t bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor is 32 bytes");

/* i_block[]: 12 direct block numbers, then one single, one double, one triple
 * indirect block (blocks full of block numbers). */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK   12
#define EXT2_DIND_BLOCK  13
#define EXT2_TIND_BLOCK  14
#define EXT2_N_BLOCKS    15

/* i_mode's file type (the top four bits), as in Linux's stat. */
#define EXT2_S_IFMT   0170000
#define EXT2_S_IFSOCK 0140000
#define EXT2_S_IFLNK  0120000
#define EXT2_S_IFREG  0100000
#define EXT2_S_IFBLK  0060000
#define EXT2_S_IFDIR  0040000
#define EXT2_S_IFCHR  0020000
#define EXT2_S_IFIFO  0010000

#define EXT2_INDEX_FL 0x00001000 /* i_flags: hashed-index directory (we keep it linear) */

/* The first 128 bytes of every inode (revision 1 inodes may be larger: the rest is
 * left as found). */
struct ext2_inode {
    uint16_t i_mode;
    uint16_t i_uid;
    uint32_t i_size; /* bytes (low 32 bits) */
    uint32_t i_atime;
    uint32_t i_ctime;
    uint32_t i_mtime;
    uint32_t i_dtime; /* when deleted */
    uint16_t i_gid;
    uint16_t i_links_count;
    uint32_t i_blocks; /* 512-byte sectors in use, indirect blocks included */
    uint32_t i_flags;
    uint32_t i_osd1;
    uint32_t i_block[EXT2_N_BLOCKS];
    uint32_t i_generation;
    uint32_t i_file_acl;  /* extended-attribute block */
    uint32_t i_size_high; /* i_dir_acl in revision 0; high 32 bits of a file's size */
    uint32_t i_faddr;
    uint8_t i_osd2[12];
};
_Static_assert(sizeof(struct ext2_inode) == EXT2_GOOD_OLD_INODE_SIZE, "inode is 128 bytes");
_Static_assert(__builtin_offsetof(struct ext2_inode, i_block) == 40, "i_block at byte 40");

/* A directory is a file of blocks; each block is a chain of variable-length
 * entries whose rec_len leads to the next and whose last one reaches the block's
 * end. inode 0 marks an unused entry. */
struct ext2_dir_entry {
    uint32_t inode;
    uint16_t rec_len;
    uint8_t name_len;
    uint8_t file_type; /* EXT2_FT_*, with the filetype feature; else name_len's high byte */
    char name[];       /* name_len bytes, not NUL-terminated */
};
_Static_assert(sizeof(struct ext2_dir_entry) == 8, "directory entry header is 8 bytes");

/* The head of an extended-attribute block (i_file_acl), which inodes with the same
 * attributes share: the last inode to let go of it frees it. */
#define EXT2_XATTR_MAGIC 0xEA020000
struct ext2_xattr_header {
    uint32_t h_magic;
    uint32_t h_refcount; /* inodes pointing at this block */
    uint32_t h_blocks;
    uint32_t h_hash;
    uint32_t h_reserved[4];
};
_Static_assert(sizeof(struct ext2_xattr_header) == 32, "attribute block header is 32 bytes");

#define EXT2_NAME_LEN 255
/* The bytes an entry with a name of n bytes needs: header + name, rounded to 4. */
#define EXT2_DIR_REC_LEN(n) ((8u + (n) + 3u) & ~3u)

#define EXT2_FT_UNKNOWN  0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR      2
#define EXT2_FT_CHRDEV   3
#define EXT2_FT_BLKDEV   4
#define EXT2_FT_FIFO     5
#define EXT2_FT_SOCK     6
#define EXT2_FT_SYMLINK  7
#define EXT2_FT_MAX      8

#endif
